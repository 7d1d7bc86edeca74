import { ActionIcon, Menu, Modal, NumberInput, Button, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from '@tanstack/react-router';
import { fieldError } from '../../api/errors';
import { ConfirmByName } from './confirm-by-name';
import { useTopicMutations } from './use-topic-mutations';

type Dialog = 'partitions' | 'purge' | 'delete' | null;

/** The per-topic menu: edit config, add partitions, purge, delete (the last two typed-confirmed). */
export function TopicActions({ topic, partitions }: { topic: string; partitions: number }) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const [total, setTotal] = useState<number | string>(partitions + 1);
  const navigate = useNavigate();
  const m = useTopicMutations(['totalPartitions']);
  const close = () => setDialog(null);
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" aria-label={`Actions for topic ${topic}`}>
            ⋯
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            onClick={() =>
              void navigate({ to: '/topics/$topic', params: { topic }, search: { tab: 'config' } })
            }
          >
            Edit config
          </Menu.Item>
          <Menu.Item onClick={() => setDialog('partitions')}>Add partitions</Menu.Item>
          <Menu.Divider />
          <Menu.Item color="orange" onClick={() => setDialog('purge')}>
            Purge records
          </Menu.Item>
          <Menu.Item color="red" onClick={() => setDialog('delete')}>
            Delete topic
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>

      <Modal opened={dialog === 'partitions'} onClose={close} title={`Add partitions to ${topic}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            m.addPartitions.mutate({ topic, totalPartitions: Number(total) }, { onSuccess: close });
          }}
        >
          <Stack>
            <NumberInput
              label="New partition count"
              description={`Currently ${partitions}. Partitions can be added, never removed; keys may move to other partitions.`}
              min={partitions + 1}
              max={10_000}
              value={total}
              onChange={setTotal}
              error={fieldError(m.addPartitions.error, 'totalPartitions')}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={m.addPartitions.isPending}>
                Add partitions
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>

      <Modal opened={dialog === 'purge'} onClose={close} title={`Purge ${topic}`}>
        <ConfirmByName
          name={topic}
          action="Delete all records"
          consequence="Every record of every partition is deleted. Offsets are kept: new records continue after the last one. Consumers that had not read everything lose those records."
          pending={m.purge.isPending}
          onConfirm={() => m.purge.mutate({ topic }, { onSuccess: close })}
          onCancel={close}
        />
      </Modal>

      <Modal opened={dialog === 'delete'} onClose={close} title={`Delete ${topic}`}>
        <ConfirmByName
          name={topic}
          action="Delete topic"
          consequence="The topic, its records and its configuration are deleted. This cannot be undone."
          pending={m.remove.isPending}
          onConfirm={() =>
            m.remove.mutate(
              { topic },
              {
                onSuccess: () => {
                  close();
                  void navigate({ to: '/topics' });
                },
              },
            )
          }
          onCancel={close}
        />
      </Modal>
    </>
  );
}
