import { Badge, Table, Text } from '@mantine/core';
import { AnchorLink } from '../../shell/links';
import type { TopicSummary } from '../../api/types';
import { formatBytes, formatCount, formatRate, formatRetentionMs } from '../../lib/format';
import { TopicActions } from './topic-actions';

/** The topic list: size, records, retention, policy, timestamp type, current produce rate. */
export function TopicsTable({ topics }: { topics: TopicSummary[] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Topic</Table.Th>
            <Table.Th ta="right">Partitions</Table.Th>
            <Table.Th ta="right">Records</Table.Th>
            <Table.Th ta="right">Size</Table.Th>
            <Table.Th>Retention</Table.Th>
            <Table.Th>Policy</Table.Th>
            <Table.Th>Timestamps</Table.Th>
            <Table.Th ta="right">In</Table.Th>
            <Table.Th ta="right">Out</Table.Th>
            <Table.Th w={40}>
              <Text component="span" size="xs" style={{ position: 'absolute', left: -9999 }}>
                Actions
              </Text>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {topics.map((t) => (
            <Table.Tr key={t.name}>
              <Table.Td>
                <AnchorLink to="/topics/$topic" params={{ topic: t.name }} fw={500}>
                  {t.name}
                </AnchorLink>
                {t.internal && (
                  <Badge ml="xs" size="xs" variant="outline" color="gray">
                    internal
                  </Badge>
                )}
              </Table.Td>
              <Table.Td ta="right">{t.partitions}</Table.Td>
              <Table.Td ta="right">{formatCount(t.records)}</Table.Td>
              <Table.Td ta="right">{formatBytes(t.sizeBytes)}</Table.Td>
              <Table.Td>
                {formatRetentionMs(t.retentionMs)}
                {t.retentionBytes >= 0 && ` / ${formatBytes(t.retentionBytes)}`}
              </Table.Td>
              <Table.Td>{t.cleanupPolicy}</Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={t.timestampType === 'CreateTime' ? 'blue' : 'grape'}>
                  {t.timestampType}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">{formatRate(t.rates.recordsInPerSec, 'records')}</Table.Td>
              <Table.Td ta="right">{formatRate(t.rates.recordsOutPerSec, 'records')}</Table.Td>
              <Table.Td>{!t.internal && <TopicActions topic={t.name} partitions={t.partitions} />}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
