/** Names in generated code: spec PascalCase → camelCase properties and kebab-case file names. */

export function camelCase(specName: string): string {
  // "ISR" style prefixes do not occur in the specs; lower-casing the first letter matches Kafka's
  // own JSON converters (e.g. ThrottleTimeMs → throttleTimeMs).
  return specName.charAt(0).toLowerCase() + specName.slice(1);
}

export function kebabCase(specName: string): string {
  return specName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** Identifiers the generated code itself uses at module scope, which struct names must not take. */
export const RESERVED_TYPE_NAMES: ReadonlySet<string> = new Set([
  'Reader',
  'Writer',
  'TaggedField',
  'KnownTaggedField',
  'ProtocolError',
  'Buffer',
  'RecordsInput',
]);
