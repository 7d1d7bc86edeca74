import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTRPC } from '../../api/trpc';
import type { ActorNode, ActorState } from '../../api/types';
import { ACTOR_STATE_COLOR } from '../supervision/actor-state';

function flatten(node: ActorNode, out: ActorNode[] = []): ActorNode[] {
  out.push(node);
  for (const child of node.children) flatten(child, out);
  return out;
}

/** How many actors are in each state, and which ones are not running. */
export function ActorHealth() {
  const trpc = useTRPC();
  const tree = useQuery(trpc.supervision.tree.queryOptions());
  const actors = tree.data ? flatten(tree.data) : [];
  const counts = new Map<ActorState, number>();
  for (const a of actors) counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
  const unwell = actors.filter((a) => a.state !== 'running').slice(0, 5);
  const restarts = actors.reduce((s, a) => s + a.restarts, 0);
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs">
        <Text fw={500} size="sm">
          Actor health
        </Text>
        <Anchor component={Link} to="/supervision" size="sm">
          Supervision tree
        </Anchor>
      </Group>
      <Group gap="xs" mb="xs">
        {[...counts].map(([state, n]) => (
          <Badge key={state} color={ACTOR_STATE_COLOR[state]} variant="light">
            {n} {state}
          </Badge>
        ))}
        <Badge color="gray" variant="outline">
          {restarts} restarts
        </Badge>
      </Group>
      <Stack gap={4}>
        {unwell.length === 0 ? (
          <Text size="sm" c="dimmed">
            Every actor is running.
          </Text>
        ) : (
          unwell.map((a) => (
            <Text key={a.path} size="sm">
              <Badge size="xs" color={ACTOR_STATE_COLOR[a.state]} mr={6}>
                {a.state}
              </Badge>
              {a.path}
              {a.lastError && ` — ${a.lastError.message}`}
            </Text>
          ))
        )}
      </Stack>
    </Paper>
  );
}
