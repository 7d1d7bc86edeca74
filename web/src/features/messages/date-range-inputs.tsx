import { Button, Group, Stack } from '@mantine/core';
import type { TimeZoneMode } from '../../lib/relative-time';
import { TimeExpressionInput } from './time-expression-input';

const PRESETS = [
  { label: 'Last 15 minutes', from: '-15m' },
  { label: 'Last hour', from: '-1h' },
  { label: 'Last day', from: '-1d' },
  { label: 'Today', from: 'today' },
] as const;

interface DateRangeInputsProps {
  from: string;
  to: string;
  zone: TimeZoneMode;
  onChange: (range: { from: string; to: string }) => void;
  errors: { from?: string; to?: string };
}

/** From and to, each typed or picked, and presets that fill both (journalctl-style). */
export function DateRangeInputs({ from, to, zone, onChange, errors }: DateRangeInputsProps) {
  return (
    <Stack gap="xs">
      <Group gap="xs" role="group" aria-label="Range presets">
        {PRESETS.map((p) => (
          <Button
            key={p.label}
            size="compact-xs"
            variant={from === p.from && to === 'now' ? 'filled' : 'light'}
            onClick={() => onChange({ from: p.from, to: 'now' })}
          >
            {p.label}
          </Button>
        ))}
      </Group>
      <Group align="flex-start" gap="md">
        <TimeExpressionInput
          label="From"
          value={from}
          zone={zone}
          placeholder="-15m"
          onChange={(v) => onChange({ from: v, to })}
          error={errors.from}
        />
        <TimeExpressionInput
          label="To"
          value={to}
          zone={zone}
          placeholder="now"
          onChange={(v) => onChange({ from, to: v })}
          error={errors.to}
        />
      </Group>
    </Stack>
  );
}
