import { MONO_INPUT } from '../../shell/mono-input';
import {
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from '@tanstack/react-router';
import { fieldError } from '../../api/errors';
import { formatBytes, formatRetentionMs } from '../../lib/format';
import { topicNameError } from '../../lib/topic-name';
import { parseConfigLines } from './config-lines';
import { useTopicMutations } from './use-topic-mutations';

const FIELDS = ['name', 'partitions', 'configs'];
const configField = (name: string) => `configs.${name}`;

/** Create a topic: Kafka's name rule checked as you type, the usual configs, any other as lines. */
export function CreateTopicModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [partitions, setPartitions] = useState<number | string>(3);
  const [cleanup, setCleanup] = useState('delete');
  const [timestampType, setTimestampType] = useState('CreateTime');
  const [retentionMs, setRetentionMs] = useState<number | string>('');
  const [retentionBytes, setRetentionBytes] = useState<number | string>('');
  const [segmentBytes, setSegmentBytes] = useState<number | string>('');
  const [other, setOther] = useState('');
  const { create } = useTopicMutations([...FIELDS, 'configs.*']);
  const parsedOther = parseConfigLines(other);
  const nameProblem = touched ? topicNameError(name) : null;
  const server = create.error;
  const serverConfigError = (n: string) => fieldError(server, configField(n));
  const otherServerError = Object.keys(parsedOther.configs).map(serverConfigError).find(Boolean);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (topicNameError(name) || parsedOther.error) return;
    const configs: Record<string, string> = {
      ...parsedOther.configs,
      'cleanup.policy': cleanup,
      'message.timestamp.type': timestampType,
    };
    if (retentionMs !== '') configs['retention.ms'] = String(retentionMs);
    if (retentionBytes !== '') configs['retention.bytes'] = String(retentionBytes);
    if (segmentBytes !== '') configs['segment.bytes'] = String(segmentBytes);
    create.mutate(
      { name, partitions: Number(partitions), configs },
      {
        onSuccess: (topic) => {
          onClose();
          void navigate({ to: '/topics/$topic', params: { topic: topic.name } });
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Create topic" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            description="Letters, digits, '.', '_' and '-'; up to 249 characters"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            onBlur={() => setTouched(true)}
            error={nameProblem ?? fieldError(server, 'name')}
            required
            data-autofocus
          />
          <SimpleGrid cols={2}>
            <NumberInput
              label="Partitions"
              min={1}
              max={10_000}
              allowDecimal={false}
              value={partitions}
              onChange={setPartitions}
              error={fieldError(server, 'partitions')}
              required
            />
            <Select
              label="cleanup.policy"
              data={['delete', 'compact', 'compact,delete']}
              value={cleanup}
              onChange={(v) => setCleanup(v ?? 'delete')}
              allowDeselect={false}
              error={serverConfigError('cleanup.policy')}
            />
          </SimpleGrid>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              message.timestamp.type
            </Text>
            <SegmentedControl
              aria-label="message.timestamp.type"
              value={timestampType}
              onChange={setTimestampType}
              data={[
                { value: 'CreateTime', label: 'CreateTime (producer time)' },
                { value: 'LogAppendTime', label: 'LogAppendTime (broker time)' },
              ]}
            />
          </Stack>
          <SimpleGrid cols={3}>
            <NumberInput
              label="retention.ms"
              placeholder="default (7 days)"
              description={retentionMs === '' ? ' ' : formatRetentionMs(Number(retentionMs))}
              min={-1}
              allowDecimal={false}
              value={retentionMs}
              onChange={setRetentionMs}
              error={serverConfigError('retention.ms')}
            />
            <NumberInput
              label="retention.bytes"
              placeholder="default (none)"
              description={
                retentionBytes === '' || Number(retentionBytes) < 0
                  ? ' '
                  : `${formatBytes(Number(retentionBytes))} per partition`
              }
              min={-1}
              allowDecimal={false}
              value={retentionBytes}
              onChange={setRetentionBytes}
              error={serverConfigError('retention.bytes')}
            />
            <NumberInput
              label="segment.bytes"
              placeholder="default (1 GiB)"
              description={segmentBytes === '' ? ' ' : formatBytes(Number(segmentBytes))}
              min={1024}
              allowDecimal={false}
              value={segmentBytes}
              onChange={setSegmentBytes}
              error={serverConfigError('segment.bytes')}
            />
          </SimpleGrid>
          <Textarea
            label="Other configs"
            description="One name=value per line, e.g. max.message.bytes=2000000"
            autosize
            minRows={2}
            styles={MONO_INPUT}
            value={other}
            onChange={(e) => setOther(e.currentTarget.value)}
            error={parsedOther.error ?? otherServerError}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create topic
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
