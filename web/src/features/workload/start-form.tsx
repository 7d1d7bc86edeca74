import { Button, Group, Paper, Select, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';

/** A workload start form: a titled row of fields ending in a Start button. */
export function StartForm({
  title,
  pending,
  onSubmit,
  children,
}: {
  title: string;
  pending: boolean;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <Stack gap="xs">
          <Text fw={500} size="sm">
            {title}
          </Text>
          <Group align="flex-start">
            {children}
            <Button type="submit" mt={25} loading={pending}>
              Start
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/**
 * The chosen topic of a start form. The topic list may arrive after the first render: default to its first
 * topic until one is chosen.
 */
export function useTopicChoice(topics: string[]) {
  const [chosen, setTopic] = useState<string | null>(null);
  const topic = chosen ?? topics[0] ?? null;
  return [topic, setTopic] as const;
}

/** The Topic select of a start form. */
export function TopicSelect({
  topics,
  value,
  onChange,
  error,
}: {
  topics: string[];
  value: string | null;
  onChange: (topic: string | null) => void;
  error: string | undefined;
}) {
  return (
    <Select label="Topic" data={topics} value={value} onChange={onChange} w={200} searchable error={error} />
  );
}
