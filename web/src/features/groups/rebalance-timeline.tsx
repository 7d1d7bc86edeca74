import { Text, Timeline } from '@mantine/core';
import type { RebalanceRecord } from '../../api/types';
import { formatDuration } from '../../lib/format';
import type { TimeZoneMode } from '../../lib/relative-time';
import { formatTimestamp } from '../../lib/time-format';

const members = (list: RebalanceRecord['membersBefore']) =>
  list.length === 0
    ? 'none'
    : list.map((m) => `${m.memberId} [${m.assignment.flatMap((a) => a.partitions).join(',')}]`).join(', ');

/** Rebalances newest first: reason, generation, members before and after, duration. */
export function RebalanceTimeline({
  rebalances,
  zone,
}: {
  rebalances: RebalanceRecord[];
  zone: TimeZoneMode;
}) {
  if (rebalances.length === 0) return <Text c="dimmed">No rebalance recorded.</Text>;
  return (
    <Timeline bulletSize={14} lineWidth={2} active={rebalances.length}>
      {rebalances.map((r) => (
        <Timeline.Item
          key={r.id}
          color={r.endedAt === null ? 'yellow' : 'teal'}
          title={`Generation ${r.generationBefore} → ${r.generationAfter ?? 'in progress'} · ${r.reason}`}
        >
          <Text size="xs" c="dimmed" ff="monospace">
            {formatTimestamp(r.startedAt, zone)} ·{' '}
            {r.durationMs === null ? 'running' : formatDuration(r.durationMs)}
          </Text>
          <Text size="sm">{r.reasonDetail}</Text>
          <Text size="xs">
            Before ({r.membersBefore.length}): {members(r.membersBefore)}
          </Text>
          <Text size="xs">
            After ({r.membersAfter.length}): {members(r.membersAfter)}
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
