import { SegmentedControl } from '@mantine/core';
import { WINDOW_MINUTES, type WindowMinutes } from './time-window';

/** The chart window: a radio group, so arrow keys move between 5, 15 and 60 minutes. */
export function WindowControl({
  value,
  onChange,
}: {
  value: WindowMinutes;
  onChange: (w: WindowMinutes) => void;
}) {
  return (
    <SegmentedControl
      aria-label="Chart window"
      size="xs"
      value={String(value)}
      onChange={(v) => onChange(Number(v) as WindowMinutes)}
      data={WINDOW_MINUTES.map((m) => ({ value: String(m), label: `${m} min` }))}
    />
  );
}
