import { Alert, Button, Checkbox, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { errorMessage } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import { PageLoader } from '../../shell/page-loader';
import { CreateTopicModal } from './create-topic-modal';
import { TopicsTable } from './topics-table';

const route = getRouteApi('/topics');

/** Searchable topic list (the search is in the URL) with create and per-topic actions. */
export function TopicsPage() {
  const trpc = useTRPC();
  const { q } = route.useSearch();
  const navigate = route.useNavigate();
  const [creating, setCreating] = useState(false);
  const [internal, setInternal] = useState(false);
  const topics = useQuery({
    ...trpc.topics.list.queryOptions({ includeInternal: internal }),
    refetchInterval: 5000,
  });
  const needle = q.trim().toLowerCase();
  const shown = (topics.data ?? []).filter((t) => t.name.toLowerCase().includes(needle));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Topics</Title>
        <Button onClick={() => setCreating(true)}>Create topic</Button>
      </Group>
      <Group>
        <TextInput
          aria-label="Search topics"
          placeholder="Search topics"
          value={q}
          onChange={(e) => void navigate({ search: { q: e.currentTarget.value }, replace: true })}
          w={320}
        />
        <Checkbox
          label="Show internal topics"
          checked={internal}
          onChange={(e) => setInternal(e.currentTarget.checked)}
        />
      </Group>
      {topics.error && <Alert color="red">{errorMessage(topics.error)}</Alert>}
      {topics.isPending ? (
        <PageLoader />
      ) : shown.length === 0 ? (
        <Text c="dimmed">{needle ? `No topic matches "${q}".` : 'No topics yet: create one.'}</Text>
      ) : (
        <TopicsTable topics={shown} />
      )}
      <CreateTopicModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
