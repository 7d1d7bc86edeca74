import { Button, Group, NumberInput, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { fieldError } from '../../api/errors';
import type { useWorkloadMutations } from './use-workload-mutations';

type Mutations = ReturnType<typeof useWorkloadMutations>;

/** Start a consumer group of N in-process members on a topic. */
export function ConsumerGroupForm({ topics, m }: { topics: string[]; m: Mutations }) {
  const [groupId, setGroupId] = useState('demo-consumers');
  // The topic list may arrive after the first render: default to its first topic until one is chosen.
  const [chosen, setTopic] = useState<string | null>(null);
  const topic = chosen ?? topics[0] ?? null;
  const [members, setMembers] = useState<number | string>(2);
  const error = m.startGroup.error;
  return (
    <Paper withBorder p="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          m.startGroup.mutate({ groupId, topic: topic ?? '', members: Number(members) });
        }}
      >
        <Stack gap="xs">
          <Text fw={500} size="sm">
            Start a consumer group
          </Text>
          <Group align="flex-start">
            <TextInput
              label="Group id"
              value={groupId}
              onChange={(e) => setGroupId(e.currentTarget.value)}
              w={200}
              error={fieldError(error, 'groupId')}
            />
            <Select
              label="Topic"
              data={topics}
              value={topic}
              onChange={setTopic}
              w={200}
              searchable
              error={fieldError(error, 'topic')}
            />
            <NumberInput
              label="Members"
              min={1}
              max={100}
              allowDecimal={false}
              value={members}
              onChange={setMembers}
              w={110}
              error={fieldError(error, 'members')}
            />
            <Button type="submit" mt={25} loading={m.startGroup.isPending}>
              Start
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
