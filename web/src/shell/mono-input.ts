/** Monospace for what is typed (offsets, times, payloads), not for the field's label. */
export const MONO_INPUT = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };
