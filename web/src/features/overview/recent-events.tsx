import { Paper, ScrollArea, Text } from '@mantine/core';
import { useClusterEvents } from '../../shell/live-events';
import { EventList } from '../supervision/event-list';

/** The last events of both kinds, newest first. */
export function RecentEvents() {
  const events = useClusterEvents();
  return (
    <Paper withBorder p="sm">
      <Text fw={500} size="sm" mb="xs">
        Recent events
      </Text>
      <ScrollArea h={220}>
        <EventList events={events.slice(-30).reverse()} zone="local" />
      </ScrollArea>
    </Paper>
  );
}
