import { Alert, Badge, Group, Stack, Tabs, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { errorMessage } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import { formatBytes, formatCount } from '../../lib/format';
import { AnchorLink } from '../../shell/links';
import { PageLoader } from '../../shell/page-loader';
import { MessagesTab } from '../messages/messages-tab';
import { ConfigTab } from './config-tab';
import { ConsumersTab } from './consumers-tab';
import { PartitionsTab } from './partitions-tab';
import { TopicActions } from './topic-actions';
import type { TopicTab } from './search';

const route = getRouteApi('/topics/$topic');

/** One topic: messages, partitions, config and consumers, the tab being part of the URL. */
export function TopicPage() {
  const trpc = useTRPC();
  const { topic } = route.useParams();
  const { tab } = route.useSearch();
  const navigate = route.useNavigate();
  const described = useQuery({ ...trpc.topics.describe.queryOptions({ topic }), refetchInterval: 5000 });
  const d = described.data;
  if (described.error) {
    return (
      <Stack>
        <Title order={2}>{topic}</Title>
        <Alert color="red">{errorMessage(described.error)}</Alert>
        <AnchorLink to="/topics">All topics</AnchorLink>
      </Stack>
    );
  }
  if (!d) return <PageLoader />;
  const timestampType = d.configs.find((c) => c.name === 'message.timestamp.type')?.value ?? 'CreateTime';
  return (
    <Stack>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm">
          <Title order={2} style={{ wordBreak: 'break-all' }}>
            {topic}
          </Title>
          <Badge variant="light">{d.partitions.length} partitions</Badge>
          <Badge variant="light" color="gray">
            {formatCount(d.records)} records · {formatBytes(d.sizeBytes)}
          </Badge>
          <Badge
            variant="light"
            color={timestampType === 'CreateTime' ? 'blue' : 'grape'}
            title="message.timestamp.type"
          >
            {timestampType}
          </Badge>
        </Group>
        {!d.internal && <TopicActions topic={topic} partitions={d.partitions.length} />}
      </Group>
      <Tabs
        value={tab}
        onChange={(value) =>
          void navigate({
            search: (prev) => ({ ...prev, tab: (value ?? 'messages') as TopicTab }),
            replace: true,
          })
        }
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="messages">Messages</Tabs.Tab>
          <Tabs.Tab value="partitions">Partitions</Tabs.Tab>
          <Tabs.Tab value="config">Config</Tabs.Tab>
          <Tabs.Tab value="consumers">Consumers</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="messages" pt="md">
          <MessagesTab topic={d} />
        </Tabs.Panel>
        <Tabs.Panel value="partitions" pt="md">
          <PartitionsTab topic={d} />
        </Tabs.Panel>
        <Tabs.Panel value="config" pt="md">
          <ConfigTab topic={d} />
        </Tabs.Panel>
        <Tabs.Panel value="consumers" pt="md">
          <ConsumersTab topic={topic} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
