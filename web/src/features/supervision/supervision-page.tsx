import { Alert, Grid, Group, Paper, ScrollArea, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { errorMessage } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import type { ActorNode } from '../../api/types';
import { useConsole } from '../../shell/cluster-info';
import { useClusterEvents } from '../../shell/live-events';
import { PageLoader } from '../../shell/page-loader';
import { ActorDetail } from './actor-detail';
import { ActorTree } from './actor-tree';
import { EventList } from './event-list';
import { FaultPanel } from './fault-panel';

const route = getRouteApi('/supervision');

function find(node: ActorNode, path: string | undefined): ActorNode | undefined {
  if (!path) return undefined;
  if (node.path === path) return node;
  for (const child of node.children) {
    const hit = find(child, path);
    if (hit) return hit;
  }
  return undefined;
}

/** The live supervision tree, the selected actor with its fault buttons, and the event timeline. */
export function SupervisionPage() {
  const trpc = useTRPC();
  const { actor: selected } = route.useSearch();
  const navigate = route.useNavigate();
  const { info } = useConsole();
  const [onlySelected, setOnlySelected] = useState(false);
  const tree = useQuery({ ...trpc.supervision.tree.queryOptions(), refetchInterval: 2000 });
  const events = useClusterEvents().filter((e) => e.kind === 'actor');
  const actor = tree.data ? find(tree.data, selected) : undefined;
  const shown = (
    onlySelected && selected
      ? events.filter((e) => e.kind === 'actor' && e.path.startsWith(selected))
      : events
  )
    .slice(-200)
    .reverse();

  if (tree.error) return <Alert color="red">{errorMessage(tree.error)}</Alert>;
  if (!tree.data) return <PageLoader />;
  return (
    <Stack>
      <Title order={2}>Supervision</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="sm">
            <ScrollArea h={420}>
              <ActorTree
                root={tree.data}
                selected={selected}
                onSelect={(path) => void navigate({ search: { actor: path }, replace: true })}
              />
            </ScrollArea>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            {actor ? (
              <ActorDetail actor={actor} />
            ) : (
              <Text c="dimmed">Select an actor to see its details.</Text>
            )}
            {actor && info.features.faultInjection && <FaultPanel path={actor.path} />}
            {actor && !info.features.faultInjection && (
              <Text size="sm" c="dimmed">
                Fault injection is off: start Sluice with --fault-injection to crash or slow actors from here.
              </Text>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
      <Paper withBorder p="sm">
        <Group justify="space-between" mb="xs">
          <Text fw={500} size="sm">
            Supervision events
          </Text>
          <Switch
            size="xs"
            label="Only the selected actor and its children"
            checked={onlySelected}
            disabled={!selected}
            onChange={(e) => setOnlySelected(e.currentTarget.checked)}
          />
        </Group>
        <ScrollArea h={260}>
          <EventList events={shown} zone="local" />
        </ScrollArea>
      </Paper>
    </Stack>
  );
}
