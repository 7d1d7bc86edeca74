import { Group, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTRPC } from '../../api/trpc';
import type { MetricsScope } from '../../api/types';
import { MetricsFeedProvider } from '../../charts/metrics-feed';
import { useRebalanceMarkers } from '../../charts/rebalance-markers';
import { ThroughputChart } from '../../charts/throughput-chart';
import { windowMs } from '../../charts/time-window';
import { WindowControl } from '../../charts/window-control';
import { RatesTable } from './rates-table';

const route = getRouteApi('/throughput');

/** Records and bytes per second, in and out, for the broker, a topic or a partition, live. */
export function ThroughputPage() {
  const trpc = useTRPC();
  const { topic, partition, window } = route.useSearch();
  const navigate = route.useNavigate();
  const topics = useQuery(trpc.topics.list.queryOptions());
  const current = topics.data?.find((t) => t.name === topic);
  const scope: MetricsScope =
    topic === undefined
      ? { kind: 'broker' }
      : partition === undefined
        ? { kind: 'topic', topic }
        : { kind: 'partition', topic, partition };
  const what =
    topic === undefined ? 'Broker' : partition === undefined ? topic : `${topic} / partition ${partition}`;
  const markers = useRebalanceMarkers(undefined, Date.now() - windowMs(window));
  return (
    <MetricsFeedProvider partitionsOf={topic ? [topic] : []}>
      <Stack>
        <Title order={2}>Throughput</Title>
        <Group align="flex-end">
          <Select
            label="Topic"
            w={240}
            searchable
            data={[
              { value: '', label: 'All topics (broker)' },
              ...(topics.data ?? []).map((t) => ({ value: t.name, label: t.name })),
            ]}
            value={topic ?? ''}
            onChange={(v) =>
              void navigate({
                search: (p) => ({ ...p, topic: v || undefined, partition: undefined }),
                replace: true,
              })
            }
            allowDeselect={false}
          />
          <Select
            label="Partition"
            w={180}
            disabled={!current}
            data={[
              { value: '', label: 'All partitions' },
              ...Array.from({ length: current?.partitions ?? 0 }, (_, p) => ({
                value: String(p),
                label: `Partition ${p}`,
              })),
            ]}
            value={partition === undefined ? '' : String(partition)}
            onChange={(v) =>
              void navigate({
                search: (p) => ({ ...p, partition: v ? Number(v) : undefined }),
                replace: true,
              })
            }
            allowDeselect={false}
          />
          <WindowControl
            value={window}
            onChange={(w) => void navigate({ search: (p) => ({ ...p, window: w }), replace: true })}
          />
        </Group>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <ThroughputChart
            title={`${what}: records per second`}
            scope={scope}
            unit="records"
            window={window}
            markers={markers}
          />
          <ThroughputChart
            title={`${what}: bytes per second`}
            scope={scope}
            unit="bytes"
            window={window}
            markers={markers}
          />
        </SimpleGrid>
        <Paper withBorder p="sm">
          <Text fw={500} size="sm" mb="xs">
            Now (last second)
          </Text>
          <RatesTable topic={topic} />
        </Paper>
      </Stack>
    </MetricsFeedProvider>
  );
}
