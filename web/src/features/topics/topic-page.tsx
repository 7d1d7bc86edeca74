import { Alert, Badge, Group, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { errorMessage } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import { SearchTabs } from '../../components/search-tabs';
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
      <SearchTabs
        value={tab}
        onChange={(value) =>
          void navigate({
            search: (prev) => ({ ...prev, tab: (value ?? 'messages') as TopicTab }),
            replace: true,
          })
        }
        tabs={[
          { value: 'messages', label: 'Messages', panel: <MessagesTab topic={d} /> },
          { value: 'partitions', label: 'Partitions', panel: <PartitionsTab topic={d} /> },
          { value: 'config', label: 'Config', panel: <ConfigTab topic={d} /> },
          { value: 'consumers', label: 'Consumers', panel: <ConsumersTab topic={topic} /> },
        ]}
      />
    </Stack>
  );
}
