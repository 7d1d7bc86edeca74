import { Alert, Badge, Button, Group, Modal, SimpleGrid, Stack, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { errorMessage } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import { SearchTabs } from '../../components/search-tabs';
import { MetricsFeedProvider } from '../../charts/metrics-feed';
import { useRebalanceMarkers } from '../../charts/rebalance-markers';
import { ThroughputChart } from '../../charts/throughput-chart';
import { windowMs } from '../../charts/time-window';
import { WindowControl } from '../../charts/window-control';
import { formatCount } from '../../lib/format';
import { notifyError, notifySuccess } from '../../shell/notify';
import { PageLoader } from '../../shell/page-loader';
import { ConfirmByName } from '../topics/confirm-by-name';
import { GROUP_STATE_COLOR } from './group-state';
import { LagChart } from './lag-chart';
import { MembersTable } from './members-table';
import { OffsetsTable } from './offsets-table';
import { RebalanceTimeline } from './rebalance-timeline';
import { ResetOffsetsModal } from './reset-offsets-modal';
import type { GroupTab } from './search';

const route = getRouteApi('/groups/$groupId');

/** One group: offsets and lag, members, lag over time with rebalances, and the rebalance timeline. */
export function GroupPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { groupId } = route.useParams();
  const { tab, window, tz } = route.useSearch();
  const navigate = route.useNavigate();
  const [dialog, setDialog] = useState<'reset' | 'delete' | null>(null);
  const group = useQuery({ ...trpc.groups.describe.queryOptions({ groupId }), refetchInterval: 3000 });
  const rebalances = useQuery(trpc.groups.rebalances.queryOptions({ groupId, limit: 100 }));
  const markers = useRebalanceMarkers(groupId, Date.now() - windowMs(window));
  const remove = useMutation(
    trpc.groups.delete.mutationOptions({
      onSuccess: () => {
        notifySuccess(`Group '${groupId}' deleted`);
        void queryClient.invalidateQueries(trpc.groups.pathFilter());
        void navigate({ to: '/groups' });
      },
      onError: (e) => notifyError(e),
    }),
  );
  if (group.error) return <Alert color="red">{errorMessage(group.error)}</Alert>;
  const g = group.data;
  if (!g) return <PageLoader />;
  const empty = g.state === 'Empty';
  const needsEmpty = 'Only an Empty group (no active members) can be changed: stop its consumers first';
  return (
    <MetricsFeedProvider>
      <Stack>
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={2}>{g.groupId}</Title>
            <Badge color={GROUP_STATE_COLOR[g.state]} variant="light">
              {g.state}
            </Badge>
            <Badge variant="light" color="gray">
              generation {g.generation} · {g.members.length} members · {g.protocolType}
              {g.protocol && `/${g.protocol}`}
            </Badge>
            <Badge variant="light" color="orange">
              lag {formatCount(g.totalLag)}
            </Badge>
          </Group>
          <Group gap="xs">
            <Tooltip label={needsEmpty} disabled={empty}>
              <Button
                size="xs"
                variant="light"
                color="orange"
                disabled={!empty}
                onClick={() => setDialog('reset')}
              >
                Reset offsets
              </Button>
            </Tooltip>
            <Tooltip label={needsEmpty} disabled={empty}>
              <Button
                size="xs"
                variant="light"
                color="red"
                disabled={!empty}
                onClick={() => setDialog('delete')}
              >
                Delete group
              </Button>
            </Tooltip>
          </Group>
        </Group>
        <SearchTabs
          value={tab}
          onChange={(v) =>
            void navigate({ search: (p) => ({ ...p, tab: (v ?? 'offsets') as GroupTab }), replace: true })
          }
          tabs={[
            { value: 'offsets', label: 'Offsets & lag', panel: <OffsetsTable group={g} /> },
            { value: 'members', label: 'Members', panel: <MembersTable group={g} /> },
            {
              value: 'lag',
              label: 'Lag over time',
              panel: (
                <Stack>
                  <Group justify="flex-end">
                    <WindowControl
                      value={window}
                      onChange={(w) => void navigate({ search: (p) => ({ ...p, window: w }), replace: true })}
                    />
                  </Group>
                  <SimpleGrid cols={{ base: 1, lg: 2 }}>
                    <LagChart groupId={groupId} window={window} zone={tz} markers={markers} />
                    {g.topics.map((topic) => (
                      <ThroughputChart
                        key={topic}
                        title={`${topic}: records per second`}
                        scope={{ kind: 'topic', topic }}
                        unit="records"
                        window={window}
                        zone={tz}
                        markers={markers}
                      />
                    ))}
                  </SimpleGrid>
                </Stack>
              ),
            },
            {
              value: 'rebalances',
              label: 'Rebalances',
              panel: <RebalanceTimeline rebalances={rebalances.data ?? []} zone={tz} />,
            },
          ]}
        />
      </Stack>
      {dialog === 'reset' && <ResetOffsetsModal group={g} onClose={() => setDialog(null)} />}
      <Modal opened={dialog === 'delete'} onClose={() => setDialog(null)} title={`Delete ${g.groupId}`}>
        <ConfirmByName
          name={g.groupId}
          action="Delete group"
          consequence="The group and its committed offsets are deleted. Consumers that join it again start from their auto.offset.reset position."
          pending={remove.isPending}
          onConfirm={() => remove.mutate({ groupId })}
          onCancel={() => setDialog(null)}
        />
      </Modal>
    </MetricsFeedProvider>
  );
}
