import { NumberInput } from '@mantine/core';
import { useState } from 'react';
import { fieldError } from '../../api/errors';
import { StartForm, TopicSelect, useTopicChoice } from './start-form';
import type { useWorkloadMutations } from './use-workload-mutations';

type Mutations = ReturnType<typeof useWorkloadMutations>;

/** Start an in-process producer writing records of a size at a rate to a topic. */
export function ProducerForm({ topics, m }: { topics: string[]; m: Mutations }) {
  const [topic, setTopic] = useTopicChoice(topics);
  const [rate, setRate] = useState<number | string>(100);
  const [size, setSize] = useState<number | string>(200);
  const error = m.startProducer.error;
  return (
    <StartForm
      title="Start a producer"
      pending={m.startProducer.isPending}
      onSubmit={() =>
        m.startProducer.mutate({ topic: topic ?? '', ratePerSec: Number(rate), recordBytes: Number(size) })
      }
    >
      <TopicSelect topics={topics} value={topic} onChange={setTopic} error={fieldError(error, 'topic')} />
      <NumberInput
        label="Records per second"
        min={1}
        max={100_000}
        allowDecimal={false}
        value={rate}
        onChange={setRate}
        w={170}
        error={fieldError(error, 'ratePerSec')}
      />
      <NumberInput
        label="Record size (bytes)"
        min={1}
        max={1_000_000}
        allowDecimal={false}
        value={size}
        onChange={setSize}
        w={170}
        error={fieldError(error, 'recordBytes')}
      />
    </StartForm>
  );
}
