import { Badge, Group, Stack, Text } from '@mantine/core';
import type { ClusterEvent } from '../../api/types';
import type { TimeZoneMode } from '../../lib/relative-time';
import { formatTimestamp } from '../../lib/time-format';
import { describeEvent, eventColor } from './describe-event';

/** A compact list of events: time, kind, and what happened. */
export function EventList({ events, zone }: { events: ClusterEvent[]; zone: TimeZoneMode }) {
  if (events.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No events yet.
      </Text>
    );
  }
  return (
    <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {events.map((event) => (
        <Group key={event.id} gap="xs" wrap="nowrap" component="li" align="flex-start">
          <Text size="xs" ff="monospace" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {formatTimestamp(event.at, zone, false).slice(11)}
          </Text>
          <Badge size="xs" color={eventColor(event)} variant="light" style={{ flexShrink: 0 }}>
            {event.kind === 'actor' ? event.type : `rebalance ${event.phase}`}
          </Badge>
          <Text size="xs" style={{ wordBreak: 'break-word' }}>
            {describeEvent(event)}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
