import { Alert, Paper, Text } from '@mantine/core';
import type { MetricsScope } from '../api/types';
import { errorMessage } from '../api/errors';
import { formatRate } from '../lib/format';
import type { TimeZoneMode } from '../lib/relative-time';
import type { MetricsTick } from './metrics-feed';
import { historyRates, pickRates, RATE_LINES, type RateUnit } from './rates';
import { TimeChart, type ChartMarker } from './time-chart';
import type { WindowMinutes } from './time-window';
import { useLiveSeries } from './use-live-series';

function ratesOf(tick: MetricsTick, scope: MetricsScope) {
  switch (scope.kind) {
    case 'broker':
      return tick.broker;
    case 'topic':
      return tick.topics.find((t) => t.topic === scope.topic)?.rates ?? null;
    case 'partition':
      return (
        tick.partitions.find((p) => p.topic === scope.topic && p.partition === scope.partition)?.rates ?? null
      );
    case 'group':
      return null;
  }
}

interface ThroughputChartProps {
  title: string;
  scope: MetricsScope;
  unit: RateUnit;
  window: WindowMinutes;
  zone?: TimeZoneMode;
  markers?: ChartMarker[];
}

/** In and out rates of a broker, topic or partition: the window's history, then live. */
export function ThroughputChart({
  title,
  scope,
  unit,
  window,
  zone = 'local',
  markers,
}: ThroughputChartProps) {
  const { points, from, to, error } = useLiveSeries({
    scope,
    window,
    fromHistory: (h) => historyRates(h, unit),
    fromTick: (tick) => {
      const rates = ratesOf(tick, scope);
      return rates ? pickRates(rates, unit) : null;
    },
  });
  return (
    <Paper withBorder p="sm">
      <Text fw={500} size="sm" mb="xs">
        {title}
      </Text>
      {error && (
        <Alert color="red" mb="xs">
          {errorMessage(error)}
        </Alert>
      )}
      <TimeChart
        title={title}
        data={points}
        lines={RATE_LINES}
        from={from}
        to={to}
        zone={zone}
        markers={markers}
        formatValue={(v) => formatRate(v, unit)}
      />
    </Paper>
  );
}
