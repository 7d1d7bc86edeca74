import { Button, Group, NumberInput, Paper, SegmentedControl, Select, Stack, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { fieldError } from '../../api/errors';
import { DateRangeInputs } from './date-range-inputs';
import type { SeekErrors } from './resolve-seek';
import type { MessagesSearch, SeekMode } from './search';
import { TimeExpressionInput } from './time-expression-input';

export type SeekDraft = Pick<
  MessagesSearch,
  'mode' | 'partition' | 'offset' | 'at' | 'from' | 'to' | 'tz' | 'key' | 'value' | 'header'
>;

interface SeekFormProps {
  search: MessagesSearch;
  partitions: number;
  /** Problems with the times in the URL, found before asking the server. */
  seekErrors: SeekErrors;
  /** The last read's error, for fields the server blamed (offset past the end...). */
  readError: unknown;
  onApply: (draft: SeekDraft) => void;
}

const MODES: { value: SeekMode; label: string }[] = [
  { value: 'newest', label: 'Newest' },
  { value: 'oldest', label: 'Oldest' },
  { value: 'offset', label: 'Offset' },
  { value: 'timestamp', label: 'Timestamp' },
  { value: 'range', label: 'Date range' },
];

/**
 * Where to read and what to keep: edits stay a draft until Enter or "Read", so typing does not
 * fire a read per key; the applied state lives in the URL.
 */
export function SeekForm({ search, partitions, seekErrors, readError, onApply }: SeekFormProps) {
  const [draft, setDraft] = useState<SeekDraft>(search);
  useEffect(() => setDraft(search), [search]);
  const set = (patch: Partial<SeekDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const partitionOptions = Array.from({ length: partitions }, (_, p) => ({
    value: String(p),
    label: `Partition ${p}`,
  }));
  const applied = (field: keyof SeekDraft) => draft[field] === search[field];
  return (
    <Paper withBorder p="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onApply(draft);
        }}
      >
        <Stack gap="sm">
          <Group justify="space-between" align="flex-end">
            <SegmentedControl
              aria-label="Read from"
              value={draft.mode}
              onChange={(v) => set({ mode: v as SeekMode })}
              data={MODES}
            />
            <SegmentedControl
              aria-label="Time zone"
              value={draft.tz}
              onChange={(v) => set({ tz: v as MessagesSearch['tz'] })}
              data={[
                { value: 'local', label: 'Local time' },
                { value: 'utc', label: 'UTC' },
              ]}
            />
          </Group>
          <Group align="flex-start" gap="md">
            <Select
              label="Partition"
              w={160}
              data={
                draft.mode === 'offset'
                  ? partitionOptions
                  : [{ value: 'all', label: 'All partitions' }, ...partitionOptions]
              }
              value={
                draft.partition === undefined
                  ? draft.mode === 'offset'
                    ? '0'
                    : 'all'
                  : String(draft.partition)
              }
              onChange={(v) => set({ partition: v === null || v === 'all' ? undefined : Number(v) })}
              allowDeselect={false}
              error={
                applied('partition')
                  ? (seekErrors.partition ?? fieldError(readError, 'partition'))
                  : undefined
              }
            />
            {draft.mode === 'offset' && (
              <NumberInput
                label="Offset"
                w={160}
                min={0}
                allowDecimal={false}
                allowNegative={false}
                value={draft.offset ?? 0}
                onChange={(v) => set({ offset: typeof v === 'number' ? v : undefined })}
                error={
                  applied('offset') && applied('partition')
                    ? (seekErrors.offset ?? fieldError(readError, 'offset'))
                    : undefined
                }
              />
            )}
            {draft.mode === 'timestamp' && (
              <TimeExpressionInput
                label="From time"
                value={draft.at ?? ''}
                placeholder="-15m"
                zone={draft.tz}
                onChange={(at) => set({ at })}
                error={applied('at') ? seekErrors.at : undefined}
              />
            )}
            {draft.mode === 'range' && (
              <DateRangeInputs
                from={draft.from ?? ''}
                to={draft.to ?? ''}
                zone={draft.tz}
                onChange={(range) => set(range)}
                errors={{
                  from: applied('from') ? seekErrors.from : undefined,
                  to:
                    applied('from') && applied('to')
                      ? (seekErrors.to ?? fieldError(readError, 'to'))
                      : undefined,
                }}
              />
            )}
          </Group>
          <Group align="flex-end" gap="md">
            <TextInput
              label="Key contains"
              value={draft.key ?? ''}
              onChange={(e) => set({ key: e.currentTarget.value || undefined })}
              w={180}
            />
            <TextInput
              label="Value contains"
              value={draft.value ?? ''}
              onChange={(e) => set({ value: e.currentTarget.value || undefined })}
              w={220}
            />
            <TextInput
              label="Header contains"
              value={draft.header ?? ''}
              onChange={(e) => set({ header: e.currentTarget.value || undefined })}
              w={180}
            />
            <Button type="submit">Read</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
