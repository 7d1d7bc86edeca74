import { MONO_INPUT } from '../../shell/mono-input';
import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { fieldError } from '../../api/errors';
import type { ConfigEntry } from '../../api/types';
import { useTopicMutations } from './use-topic-mutations';

/** Sets one config (Kafka's incremental alter) or removes the override to restore the default. */
export function EditConfigModal({
  topic,
  entry,
  onClose,
}: {
  topic: string;
  entry: ConfigEntry;
  onClose: () => void;
}) {
  const [value, setValue] = useState(entry.value ?? '');
  const { alterConfigs } = useTopicMutations([`configs.${entry.name}`, entry.name, 'alterations.*']);
  const error = fieldError(alterConfigs.error, `configs.${entry.name}`, entry.name, 'alterations.*');
  const save = (event: React.FormEvent) => {
    event.preventDefault();
    alterConfigs.mutate(
      { topic, alterations: [{ op: 'set', name: entry.name, value }] },
      { onSuccess: onClose },
    );
  };
  const reset = () =>
    alterConfigs.mutate({ topic, alterations: [{ op: 'delete', name: entry.name }] }, { onSuccess: onClose });
  return (
    <Modal opened onClose={onClose} title={`Edit ${entry.name}`}>
      <form onSubmit={save}>
        <Stack>
          <Text size="sm" c="dimmed">
            {entry.documentation}
          </Text>
          {entry.allowed ? (
            <Select
              label={entry.name}
              data={entry.allowed}
              value={value}
              onChange={(v) => setValue(v ?? '')}
              allowDeselect={false}
              error={error}
            />
          ) : (
            <TextInput
              label={entry.name}
              value={value}
              onChange={(e) => setValue(e.currentTarget.value)}
              error={error}
              styles={MONO_INPUT}
              data-autofocus
            />
          )}
          <Group justify="space-between">
            <Button
              variant="subtle"
              color="gray"
              onClick={reset}
              disabled={entry.source !== 'TOPIC'}
              loading={alterConfigs.isPending}
            >
              Reset to default ({entry.defaultValue ?? 'none'})
            </Button>
            <Group>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={alterConfigs.isPending}>
                Save
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
