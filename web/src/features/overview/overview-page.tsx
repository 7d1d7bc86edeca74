import { Group, SimpleGrid, Stack, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { MetricsFeedProvider } from '../../charts/metrics-feed';
import { useRebalanceMarkers } from '../../charts/rebalance-markers';
import { ThroughputChart } from '../../charts/throughput-chart';
import { windowMs } from '../../charts/time-window';
import { WindowControl } from '../../charts/window-control';
import { useConsole } from '../../shell/cluster-info';
import { ActorHealth } from './actor-health';
import { ClusterCounts } from './cluster-counts';
import { KafkaClients } from './kafka-clients';
import { RecentEvents } from './recent-events';

const route = getRouteApi('/');

/**
 * The cluster at a glance: counts, broker throughput with rebalances, Kafka clients, actor health,
 * events.
 */
export function OverviewPage() {
  const { window } = route.useSearch();
  const navigate = route.useNavigate();
  const { info } = useConsole();
  const markers = useRebalanceMarkers(undefined, Date.now() - windowMs(window));
  return (
    <MetricsFeedProvider>
      <Stack>
        <Title order={2}>Overview</Title>
        <ClusterCounts />
        <Group justify="space-between">
          <Title order={4}>Broker throughput</Title>
          <WindowControl
            value={window}
            onChange={(w) => void navigate({ search: { window: w }, replace: true })}
          />
        </Group>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <ThroughputChart
            title="Records per second"
            scope={{ kind: 'broker' }}
            unit="records"
            window={window}
            markers={markers}
          />
          <ThroughputChart
            title="Bytes per second"
            scope={{ kind: 'broker' }}
            unit="bytes"
            window={window}
            markers={markers}
          />
        </SimpleGrid>
        <KafkaClients window={window} />
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          {info.features.supervision && <ActorHealth />}
          <RecentEvents />
        </SimpleGrid>
      </Stack>
    </MetricsFeedProvider>
  );
}
