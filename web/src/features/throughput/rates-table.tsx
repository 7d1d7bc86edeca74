import { Table, Text } from '@mantine/core';
import { useMetricsFeed } from '../../charts/metrics-feed';
import type { Rates } from '../../api/types';
import { formatRate } from '../../lib/format';

/** The latest second's rates per topic (or per partition of the chosen topic). */
export function RatesTable({ topic }: { topic: string | undefined }) {
  const { hub } = useMetricsFeed(); // re-renders with the feed, once per second
  const tick = hub.latest;
  if (!tick) return <Text c="dimmed">Waiting for the first sample…</Text>;
  const rows: { label: string; rates: Rates }[] = topic
    ? tick.partitions
        .filter((p) => p.topic === topic)
        .map((p) => ({ label: `Partition ${p.partition}`, rates: p.rates }))
    : tick.topics.map((t) => ({ label: t.topic, rates: t.rates }));
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{topic ? 'Partition' : 'Topic'}</Table.Th>
          <Table.Th ta="right">In records</Table.Th>
          <Table.Th ta="right">In bytes</Table.Th>
          <Table.Th ta="right">Out records</Table.Th>
          <Table.Th ta="right">Out bytes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.label}>
            <Table.Td>{r.label}</Table.Td>
            <Table.Td ta="right">{formatRate(r.rates.recordsInPerSec, 'records')}</Table.Td>
            <Table.Td ta="right">{formatRate(r.rates.bytesInPerSec, 'bytes')}</Table.Td>
            <Table.Td ta="right">{formatRate(r.rates.recordsOutPerSec, 'records')}</Table.Td>
            <Table.Td ta="right">{formatRate(r.rates.bytesOutPerSec, 'bytes')}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
