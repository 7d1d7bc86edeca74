import { Button, Group, NumberInput, Paper, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { fieldError } from '../../api/errors';
import type { useWorkloadMutations } from './use-workload-mutations';

type Mutations = ReturnType<typeof useWorkloadMutations>;

/** Start an in-process producer writing records of a size at a rate to a topic. */
export function ProducerForm({ topics, m }: { topics: string[]; m: Mutations }) {
  // The topic list may arrive after the first render: default to its first topic until one is chosen.
  const [chosen, setTopic] = useState<string | null>(null);
  const topic = chosen ?? topics[0] ?? null;
  const [rate, setRate] = useState<number | string>(100);
  const [size, setSize] = useState<number | string>(200);
  const error = m.startProducer.error;
  return (
    <Paper withBorder p="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          m.startProducer.mutate({ topic: topic ?? '', ratePerSec: Number(rate), recordBytes: Number(size) });
        }}
      >
        <Stack gap="xs">
          <Text fw={500} size="sm">
            Start a producer
          </Text>
          <Group align="flex-start">
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
            <Button type="submit" mt={25} loading={m.startProducer.isPending}>
              Start
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
