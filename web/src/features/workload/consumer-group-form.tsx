import { NumberInput, TextInput } from '@mantine/core';
import { useState } from 'react';
import { fieldError } from '../../api/errors';
import { StartForm, TopicSelect, useTopicChoice } from './start-form';
import type { useWorkloadMutations } from './use-workload-mutations';

type Mutations = ReturnType<typeof useWorkloadMutations>;

/** Start a consumer group of N in-process members on a topic. */
export function ConsumerGroupForm({ topics, m }: { topics: string[]; m: Mutations }) {
  const [groupId, setGroupId] = useState('demo-consumers');
  const [topic, setTopic] = useTopicChoice(topics);
  const [members, setMembers] = useState<number | string>(2);
  const error = m.startGroup.error;
  return (
    <StartForm
      title="Start a consumer group"
      pending={m.startGroup.isPending}
      onSubmit={() => m.startGroup.mutate({ groupId, topic: topic ?? '', members: Number(members) })}
    >
      <TextInput
        label="Group id"
        value={groupId}
        onChange={(e) => setGroupId(e.currentTarget.value)}
        w={200}
        error={fieldError(error, 'groupId')}
      />
      <TopicSelect topics={topics} value={topic} onChange={setTopic} error={fieldError(error, 'topic')} />
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
    </StartForm>
  );
}
