import { Table, Text } from '@mantine/core';
import type { GroupDescription } from '../../api/types';
import { formatCount } from '../../lib/format';
import { AnchorLink } from '../../shell/links';

/** Per partition: the committed offset, the end offset, the lag, and who reads it. */
export function OffsetsTable({ group }: { group: GroupDescription }) {
  if (group.offsets.length === 0) return <Text c="dimmed">No committed offsets.</Text>;
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Topic</Table.Th>
          <Table.Th ta="right">Partition</Table.Th>
          <Table.Th ta="right">Committed</Table.Th>
          <Table.Th ta="right">End</Table.Th>
          <Table.Th ta="right">Lag</Table.Th>
          <Table.Th>Member</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {group.offsets.map((o) => (
          <Table.Tr key={`${o.topic}/${o.partition}`}>
            <Table.Td>
              <AnchorLink to="/topics/$topic" params={{ topic: o.topic }}>
                {o.topic}
              </AnchorLink>
            </Table.Td>
            <Table.Td ta="right">{o.partition}</Table.Td>
            <Table.Td ta="right" ff="monospace">
              {o.committedOffset === null ? (
                '—'
              ) : (
                <AnchorLink
                  to="/topics/$topic"
                  params={{ topic: o.topic }}
                  search={{
                    tab: 'messages',
                    mode: 'offset',
                    partition: o.partition,
                    offset: o.committedOffset,
                  }}
                >
                  {formatCount(o.committedOffset)}
                </AnchorLink>
              )}
            </Table.Td>
            <Table.Td ta="right" ff="monospace">
              {formatCount(o.endOffset)}
            </Table.Td>
            <Table.Td ta="right" fw={o.lag ? 600 : undefined} c={o.lag ? 'orange' : undefined}>
              {o.lag === null ? '—' : formatCount(o.lag)}
            </Table.Td>
            <Table.Td ff="monospace" fz="xs">
              {o.memberId ?? '—'}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
