import { Alert, Code, Group, Paper, SimpleGrid, Text } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import { useMetricsFeed } from '../../charts/metrics-feed';
import { TimeChart } from '../../charts/time-chart';
import type { WindowMinutes } from '../../charts/time-window';
import { useLiveSeries } from '../../charts/use-live-series';
import { formatCount } from '../../lib/format';
import { useConsole } from '../../shell/cluster-info';
import {
  formatRequestRate,
  historyPoints,
  kafkaAddress,
  OTHER,
  requestValues,
  topApis,
} from './kafka-series';

const COLORS = ['#228be6', '#12b886', '#fd7e14', '#be4bdb', '#fab005', '#fa5252', '#15aabf'];
const OTHER_COLOR = '#868e96';
const CHART_TITLE = 'Kafka requests per second';

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={600}>
        {value}
      </Text>
    </div>
  );
}

/**
 * The Kafka door: clients connected now, requests per second now, and a live chart of requests per
 * second by API (the busiest few), with the address clients should bootstrap from.
 */
export function KafkaClients({ window }: { window: WindowMinutes }) {
  const { info } = useConsole();
  const { hub } = useMetricsFeed();
  // Every API seen so far: each gets a 0 when idle (see requestValues).
  const [known] = useState(() => new Set<string>());
  // An API keeps its colour while the ranking of the busiest ones changes.
  const [colors] = useState(() => new Map<string, string>());
  const colorOf = (api: string): string => {
    if (api === OTHER) return OTHER_COLOR;
    let color = colors.get(api);
    if (color === undefined) colors.set(api, (color = COLORS[colors.size % COLORS.length] ?? OTHER_COLOR));
    return color;
  };
  const { points, from, to, error } = useLiveSeries({
    scope: { kind: 'kafka' },
    window,
    fromHistory: (h) => historyPoints(h, known),
    fromTick: (tick) => requestValues(tick.kafka, known),
  });
  const chart = topApis(points);
  const now = hub.latest?.kafka;
  const address = kafkaAddress(info.listeners);
  return (
    <Paper withBorder p="sm" component="section" aria-label="Kafka clients">
      <Group justify="space-between" mb="xs">
        <Text fw={500} size="sm">
          Kafka clients
        </Text>
        {address && (
          <Text size="sm">
            Bootstrap server <Code>{address}</Code>
          </Text>
        )}
      </Group>
      {error && (
        <Alert color="red" mb="xs">
          {errorMessage(error)}
        </Alert>
      )}
      <SimpleGrid cols={2} mb="xs">
        <Stat label="Connected clients" value={now ? formatCount(now.connections) : '—'} />
        <Stat label="Requests per second" value={now ? formatRequestRate(now.requestsPerSec) : '—'} />
      </SimpleGrid>
      <TimeChart
        title={CHART_TITLE}
        data={chart.points}
        lines={chart.apis.map((api) => ({ key: api, label: api, color: colorOf(api) }))}
        from={from}
        to={to}
        zone="local"
        formatValue={formatRequestRate}
      />
    </Paper>
  );
}
