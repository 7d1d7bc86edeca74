import { Badge, Table } from '@mantine/core';
import type { TopicDescription } from '../../api/types';
import { formatBytes, formatCount, formatRate } from '../../lib/format';
import { formatTimestamp } from '../../lib/time-format';
import { AnchorLink } from '../../shell/links';
import { ACTOR_STATE_COLOR } from '../supervision/actor-state';

/** Per partition: offsets, size, segments, first/last timestamps, rate, and its actor. */
export function PartitionsTab({ topic }: { topic: TopicDescription }) {
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th ta="right">Partition</Table.Th>
            <Table.Th ta="right">Start offset</Table.Th>
            <Table.Th ta="right">End offset</Table.Th>
            <Table.Th ta="right">Records</Table.Th>
            <Table.Th ta="right">Size</Table.Th>
            <Table.Th ta="right">Segments</Table.Th>
            <Table.Th>First record</Table.Th>
            <Table.Th>Last record</Table.Th>
            <Table.Th ta="right">In</Table.Th>
            <Table.Th>Actor</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {topic.partitions.map((p) => (
            <Table.Tr key={p.partition}>
              <Table.Td ta="right">
                <AnchorLink
                  to="/topics/$topic"
                  params={{ topic: topic.name }}
                  search={{ tab: 'messages', mode: 'offset', partition: p.partition, offset: p.startOffset }}
                >
                  {p.partition}
                </AnchorLink>
              </Table.Td>
              <Table.Td ta="right">{formatCount(p.startOffset)}</Table.Td>
              <Table.Td ta="right">{formatCount(p.endOffset)}</Table.Td>
              <Table.Td ta="right">{formatCount(p.records)}</Table.Td>
              <Table.Td ta="right">{formatBytes(p.sizeBytes)}</Table.Td>
              <Table.Td ta="right">{p.segments}</Table.Td>
              <Table.Td ff="monospace" fz="xs">
                {p.firstTimestamp === null ? '—' : formatTimestamp(p.firstTimestamp, 'local', false)}
              </Table.Td>
              <Table.Td ff="monospace" fz="xs">
                {p.lastTimestamp === null ? '—' : formatTimestamp(p.lastTimestamp, 'local', false)}
              </Table.Td>
              <Table.Td ta="right">{formatRate(p.rates.recordsInPerSec, 'records')}</Table.Td>
              <Table.Td>
                {p.actor ? (
                  <AnchorLink to="/supervision" search={{ actor: p.actor.path }}>
                    <Badge variant="light" color={ACTOR_STATE_COLOR[p.actor.state]}>
                      {p.actor.state}
                    </Badge>
                    {p.actor.restarts > 0 && ` ${p.actor.restarts} restarts`}
                  </AnchorLink>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
