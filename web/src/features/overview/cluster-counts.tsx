import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { formatBytes, formatCount } from '../../lib/format';

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={600}>
        {value}
      </Text>
    </Paper>
  );
}

/** Topics, partitions, records, size, groups, members and lag, refreshed every 5 s. */
export function ClusterCounts() {
  const trpc = useTRPC();
  const topics = useQuery({ ...trpc.topics.list.queryOptions(), refetchInterval: 5000 });
  const groups = useQuery({ ...trpc.groups.list.queryOptions(), refetchInterval: 5000 });
  const t = topics.data ?? [];
  const g = groups.data ?? [];
  const dash = (ready: boolean, value: string) => (ready ? value : '—');
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
      <Stat label="Topics" value={dash(!!topics.data, formatCount(t.length))} />
      <Stat
        label="Partitions"
        value={dash(!!topics.data, formatCount(t.reduce((s, x) => s + x.partitions, 0)))}
      />
      <Stat label="Records" value={dash(!!topics.data, formatCount(t.reduce((s, x) => s + x.records, 0)))} />
      <Stat label="Stored" value={dash(!!topics.data, formatBytes(t.reduce((s, x) => s + x.sizeBytes, 0)))} />
      <Stat
        label="Groups · members"
        value={dash(!!groups.data, `${g.length} · ${g.reduce((s, x) => s + x.members, 0)}`)}
      />
      <Stat
        label="Total lag"
        value={dash(!!groups.data, formatCount(g.reduce((s, x) => s + x.totalLag, 0)))}
      />
    </SimpleGrid>
  );
}
