import { Badge, Code, Paper, Table, Text } from '@mantine/core';
import type { ActorNode } from '../../api/types';
import { formatTimestamp } from '../../lib/time-format';
import { ACTOR_STATE_COLOR } from './actor-state';

/** Everything the tree knows about one actor. */
export function ActorDetail({ actor }: { actor: ActorNode }) {
  const rows: [string, React.ReactNode][] = [
    ['Path', <Code key="p">{actor.path}</Code>],
    ['Kind', actor.kind],
    [
      'State',
      <Badge key="s" color={ACTOR_STATE_COLOR[actor.state]} variant="light">
        {actor.state}
      </Badge>,
    ],
    ['Strategy', actor.strategy ?? '—'],
    ['Restarts', String(actor.restarts)],
    ['Last restart', actor.lastRestartAt ? formatTimestamp(actor.lastRestartAt, 'local') : '—'],
    ['Next restart', actor.nextRestartAt ? formatTimestamp(actor.nextRestartAt, 'local') : '—'],
    [
      'Mailbox',
      actor.mailbox
        ? `${actor.mailbox.size}${actor.mailbox.capacity ? ` / ${actor.mailbox.capacity}` : ''} queued, ${actor.mailbox.stashed} stashed`
        : '—',
    ],
    [
      'Last error',
      actor.lastError ? (
        <Text key="e" size="sm" c="red">
          {actor.lastError.message} ({formatTimestamp(actor.lastError.at, 'local')})
        </Text>
      ) : (
        '—'
      ),
    ],
  ];
  return (
    <Paper withBorder p="sm">
      <Table withRowBorders={false} verticalSpacing={4}>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={120}>{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
