import { MONO_INPUT } from '../../shell/mono-input';
import { Group, TextInput } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { parseTimeExpression, TIME_EXAMPLES, type TimeZoneMode } from '../../lib/relative-time';
import { formatTimestamp } from '../../lib/time-format';

interface TimeExpressionInputProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  zone: TimeZoneMode;
  /** Shown instead of the parse result (e.g. "the range is empty"). */
  error?: string;
  placeholder?: string;
}

/**
 * A time typed as text ("-15m", "yesterday", "2026-11-21 10:00"), with what it means shown under
 * it in the chosen zone; a calendar next to it writes an absolute time into the same text.
 */
export function TimeExpressionInput({
  label,
  value,
  onChange,
  zone,
  error,
  placeholder,
}: TimeExpressionInputProps) {
  const empty = value.trim() === '';
  const parsed = empty ? null : parseTimeExpression(value, { now: Date.now(), zone });
  // An empty field means its placeholder (the default): say what that is too.
  const shown = parsed ?? (placeholder ? parseTimeExpression(placeholder, { now: Date.now(), zone }) : null);
  const zoneName = zone === 'utc' ? 'UTC' : 'local time';
  const description = shown?.ok
    ? `= ${formatTimestamp(shown.ms, zone, false)} ${zoneName}${empty ? ' (default)' : ''}`
    : `e.g. ${TIME_EXAMPLES}`;
  return (
    <Group gap={4} align="flex-start" wrap="nowrap">
      <TextInput
        label={label}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.currentTarget.value)}
        description={description}
        error={error ?? (parsed && !parsed.ok ? parsed.error : undefined)}
        w={260}
        styles={MONO_INPUT}
        autoComplete="off"
        spellCheck={false}
      />
      <DateTimePicker
        aria-label={`Pick ${label.toLowerCase()} on a calendar`}
        placeholder="Pick…"
        label=" "
        description=" "
        w={90}
        withSeconds
        value={null}
        valueFormat="YYYY-MM-DD HH:mm:ss"
        onChange={(picked) => {
          if (picked) onChange(String(picked).slice(0, 19));
        }}
        popoverProps={{ withinPortal: true }}
      />
    </Group>
  );
}
