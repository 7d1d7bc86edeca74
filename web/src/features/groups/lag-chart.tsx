import { Paper, Text } from '@mantine/core';
import { TimeChart, type ChartMarker } from '../../charts/time-chart';
import type { WindowMinutes } from '../../charts/time-window';
import { useLiveSeries } from '../../charts/use-live-series';
import { formatCount } from '../../lib/format';
import type { TimeZoneMode } from '../../lib/relative-time';

const LINES = [{ key: 'lag' as const, label: 'Total lag (records)', color: '#f76707' }];

/** The group's total lag over the window, live, with its rebalances marked. */
export function LagChart({
  groupId,
  window,
  zone,
  markers,
}: {
  groupId: string;
  window: WindowMinutes;
  zone: TimeZoneMode;
  markers: ChartMarker[];
}) {
  const { points, from, to } = useLiveSeries<'lag'>({
    scope: { kind: 'group', groupId },
    window,
    fromHistory: (h) => h.lag.map((p) => ({ t: p.t, lag: p.lag })),
    fromTick: (tick) => {
      const group = tick.groups.find((g) => g.groupId === groupId);
      return group ? { lag: group.lag } : null;
    },
  });
  return (
    <Paper withBorder p="sm">
      <Text fw={500} size="sm" mb="xs">
        Lag over time
      </Text>
      <TimeChart
        title={`Lag of ${groupId}`}
        data={points}
        lines={LINES}
        from={from}
        to={to}
        zone={zone}
        markers={markers}
        formatValue={(v) => formatCount(Math.round(v))}
      />
    </Paper>
  );
}
