import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage, fieldError } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import type { GroupDescription, RouterInputs } from '../../api/types';
import { formatCount } from '../../lib/format';
import { parseTimeExpression } from '../../lib/relative-time';
import { notifySuccess } from '../../shell/notify';
import { TimeExpressionInput } from '../messages/time-expression-input';

type Target = RouterInputs['groups']['resetOffsets']['target'];
type Kind = Target['kind'];

/**
 * Moves an Empty group's committed offsets (to earliest, latest, a time, or given offsets). The
 * preview is a dry run on the server, so what it shows is what applying will commit.
 */
export function ResetOffsetsModal({ group, onClose }: { group: GroupDescription; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [topic, setTopic] = useState(group.topics[0] ?? '');
  const [kind, setKind] = useState<Kind>('earliest');
  const [time, setTime] = useState('-1h');
  const partitions = group.offsets.filter((o) => o.topic === topic);
  const [explicit, setExplicit] = useState<Record<number, number | string>>(() =>
    Object.fromEntries(partitions.map((o) => [o.partition, o.committedOffset ?? 0])),
  );
  const reset = useMutation(trpc.groups.resetOffsets.mutationOptions());
  const parsed = parseTimeExpression(time, { now: Date.now(), zone: 'local' });

  const target = (): Target | null => {
    if (kind === 'timestamp') return parsed.ok ? { kind, timestamp: parsed.ms } : null;
    if (kind === 'explicit')
      return {
        kind,
        offsets: partitions.map((o) => ({
          partition: o.partition,
          offset: Number(explicit[o.partition] ?? 0),
        })),
      };
    return { kind };
  };
  const run = (dryRun: boolean) => {
    const t = target();
    if (!t) return;
    reset.mutate(
      { groupId: group.groupId, topic, target: t, dryRun },
      {
        onSuccess: () => {
          if (dryRun) return;
          notifySuccess(`Offsets of ${group.groupId} on ${topic} reset`);
          void queryClient.invalidateQueries(trpc.groups.pathFilter());
          onClose();
        },
      },
    );
  };
  const preview = reset.data && reset.variables?.dryRun ? reset.data : null;
  return (
    <Modal opened onClose={onClose} title={`Reset offsets of ${group.groupId}`} size="lg">
      <Stack>
        <SimpleGrid cols={2}>
          <Select
            label="Topic"
            data={group.topics}
            value={topic}
            onChange={(v) => setTopic(v ?? topic)}
            allowDeselect={false}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Reset to
            </Text>
            <SegmentedControl
              aria-label="Reset to"
              value={kind}
              onChange={(v) => setKind(v as Kind)}
              data={[
                { value: 'earliest', label: 'Earliest' },
                { value: 'latest', label: 'Latest' },
                { value: 'timestamp', label: 'Time' },
                { value: 'explicit', label: 'Offsets' },
              ]}
            />
          </Stack>
        </SimpleGrid>
        {kind === 'timestamp' && (
          <TimeExpressionInput
            label="Time"
            value={time}
            onChange={setTime}
            zone="local"
            error={fieldError(reset.error, 'timestamp')}
          />
        )}
        {kind === 'explicit' && (
          <SimpleGrid cols={4}>
            {partitions.map((o) => (
              <NumberInput
                key={o.partition}
                label={`Partition ${o.partition}`}
                description={`end ${formatCount(o.endOffset)}`}
                min={0}
                allowDecimal={false}
                value={explicit[o.partition] ?? 0}
                onChange={(v) => setExplicit((e) => ({ ...e, [o.partition]: v }))}
              />
            ))}
          </SimpleGrid>
        )}
        {reset.error && <Alert color="red">{errorMessage(reset.error)}</Alert>}
        {preview && (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th ta="right">Partition</Table.Th>
                <Table.Th ta="right">New offset</Table.Th>
                <Table.Th ta="right">Lag after</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.map((o) => (
                <Table.Tr key={o.partition}>
                  <Table.Td ta="right">{o.partition}</Table.Td>
                  <Table.Td ta="right">{formatCount(o.committedOffset ?? 0)}</Table.Td>
                  <Table.Td ta="right">{formatCount(o.lag ?? 0)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            variant="light"
            onClick={() => run(true)}
            loading={reset.isPending && reset.variables?.dryRun}
          >
            Preview
          </Button>
          <Button
            color="orange"
            onClick={() => run(false)}
            loading={reset.isPending && !reset.variables?.dryRun}
          >
            Reset offsets
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
