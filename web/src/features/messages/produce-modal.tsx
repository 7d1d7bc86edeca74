import { MONO_INPUT } from '../../shell/mono-input';
import {
  Button,
  Checkbox,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fieldError } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import { parseTimeExpression, type TimeZoneMode } from '../../lib/relative-time';
import { notifyError, notifySuccess } from '../../shell/notify';
import { HeadersEditor, type HeaderDraft } from './headers-editor';
import { TimeExpressionInput } from './time-expression-input';

interface ProduceModalProps {
  topic: string;
  partitions: number;
  timestampType: string;
  zone: TimeZoneMode;
  opened: boolean;
  onClose: () => void;
}

const FIELDS = ['key', 'value', 'data', 'partition', 'timestamp', 'headers.*'];

/** Produce one record: key, value (text or base64), headers, partition or the default partitioner, time. */
export function ProduceModal({ topic, partitions, timestampType, zone, opened, onClose }: ProduceModalProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [key, setKey] = useState('');
  const [nullKey, setNullKey] = useState(false);
  const [value, setValue] = useState('');
  const [nullValue, setNullValue] = useState(false);
  const [encoding, setEncoding] = useState<'utf8' | 'base64'>('utf8');
  const [headers, setHeaders] = useState<HeaderDraft[]>([]);
  const [partition, setPartition] = useState('default');
  const [time, setTime] = useState('');
  const send = useMutation(
    trpc.produce.send.mutationOptions({
      onSuccess: (r) => {
        notifySuccess(`Produced to partition ${r.partition} at offset ${r.offset}`);
        void queryClient.invalidateQueries(trpc.messages.read.pathFilter());
        onClose();
      },
      onError: (e) => {
        if (!fieldError(e, ...FIELDS)) notifyError(e, 'The record was not produced');
      },
    }),
  );
  const parsedTime = time.trim() === '' ? null : parseTimeExpression(time, { now: Date.now(), zone });
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (parsedTime && !parsedTime.ok) return;
    send.mutate({
      topic,
      partition: partition === 'default' ? undefined : Number(partition),
      key: nullKey ? null : { encoding: 'utf8', data: key },
      value: nullValue ? null : { encoding, data: encoding === 'base64' ? value.replace(/\s+/g, '') : value },
      headers: headers
        .filter((h) => h.key !== '')
        .map((h) => ({ key: h.key, value: { encoding: 'utf8' as const, data: h.value } })),
      timestamp: parsedTime?.ok ? parsedTime.ms : undefined,
    });
  };
  const options = [
    { value: 'default', label: 'Default partitioner (by key)' },
    ...Array.from({ length: partitions }, (_, p) => ({ value: String(p), label: `Partition ${p}` })),
  ];
  return (
    <Modal opened={opened} onClose={onClose} title={`Produce to ${topic}`} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Group align="flex-end">
            <TextInput
              label="Key"
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              disabled={nullKey}
              error={fieldError(send.error, 'key')}
              style={{ flex: 1 }}
              data-autofocus
            />
            <Checkbox
              label="null key"
              checked={nullKey}
              onChange={(e) => setNullKey(e.currentTarget.checked)}
              mb={8}
            />
          </Group>
          <Group justify="space-between">
            <SegmentedControl
              size="xs"
              aria-label="Value encoding"
              value={encoding}
              onChange={(v) => setEncoding(v as 'utf8' | 'base64')}
              data={[
                { value: 'utf8', label: 'Text' },
                { value: 'base64', label: 'Base64 (binary)' },
              ]}
            />
            <Checkbox
              label="null value (tombstone)"
              checked={nullValue}
              onChange={(e) => setNullValue(e.currentTarget.checked)}
            />
          </Group>
          <Textarea
            label="Value"
            autosize
            minRows={4}
            maxRows={14}
            styles={MONO_INPUT}
            value={value}
            disabled={nullValue}
            onChange={(e) => setValue(e.currentTarget.value)}
            error={fieldError(send.error, 'value', 'data')}
          />
          <HeadersEditor headers={headers} onChange={setHeaders} />
          <Group align="flex-start">
            <Select
              label="Partition"
              data={options}
              value={partition}
              onChange={(v) => setPartition(v ?? 'default')}
              allowDeselect={false}
              w={260}
              error={fieldError(send.error, 'partition')}
            />
            {timestampType === 'CreateTime' ? (
              <TimeExpressionInput
                label="Timestamp (optional)"
                value={time}
                onChange={setTime}
                zone={zone}
                placeholder="now"
                error={fieldError(send.error, 'timestamp')}
              />
            ) : (
              <Text size="sm" c="dimmed" mt={28}>
                LogAppendTime topic: the broker sets the timestamp.
              </Text>
            )}
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={send.isPending}>
              Produce
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
