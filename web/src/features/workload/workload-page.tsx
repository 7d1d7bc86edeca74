import { Alert, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import { formatCount } from '../../lib/format';
import { AnchorLink } from '../../shell/links';
import { ConsumerGroupForm } from './consumer-group-form';
import { ProducerForm } from './producer-form';
import { useWorkloadMutations } from './use-workload-mutations';

/** Demo load: producers at a rate, consumer groups whose size can change to cause rebalances. */
export function WorkloadPage() {
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.workload.status.queryOptions(), refetchInterval: 1000 });
  const topics = useQuery(trpc.topics.list.queryOptions());
  const names = (topics.data ?? []).map((t) => t.name);
  const m = useWorkloadMutations();
  const s = status.data;
  return (
    <Stack>
      <Title order={2}>Workload</Title>
      {status.error && <Alert color="red">{errorMessage(status.error)}</Alert>}
      <SimpleGrid cols={{ base: 1, xl: 2 }}>
        <ProducerForm topics={names} m={m} />
        <ConsumerGroupForm topics={names} m={m} />
      </SimpleGrid>
      <Paper withBorder p="sm">
        <Text fw={500} size="sm" mb="xs">
          Producers
        </Text>
        {!s || s.producers.length === 0 ? (
          <Text size="sm" c="dimmed">
            No producer is running.
          </Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Producer</Table.Th>
                <Table.Th>Topic</Table.Th>
                <Table.Th ta="right">Rate</Table.Th>
                <Table.Th ta="right">Size</Table.Th>
                <Table.Th ta="right">Produced</Table.Th>
                <Table.Th ta="right">Errors</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.producers.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.id}</Table.Td>
                  <Table.Td>{p.topic}</Table.Td>
                  <Table.Td ta="right">{formatCount(p.ratePerSec)}/s</Table.Td>
                  <Table.Td ta="right">{formatCount(p.recordBytes)} B</Table.Td>
                  <Table.Td ta="right">{formatCount(p.produced)}</Table.Td>
                  <Table.Td ta="right" title={p.lastError ?? undefined} c={p.errors ? 'red' : undefined}>
                    {formatCount(p.errors)}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="compact-xs"
                      variant="light"
                      color="red"
                      onClick={() => m.stopProducer.mutate({ id: p.id })}
                    >
                      Stop
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {s?.consumerGroups.map((g) => (
        <Paper withBorder p="sm" key={g.groupId}>
          <Group justify="space-between" mb="xs">
            <Text fw={500} size="sm">
              Group{' '}
              <AnchorLink to="/groups/$groupId" params={{ groupId: g.groupId }}>
                {g.groupId}
              </AnchorLink>{' '}
              on {g.topic} · {g.members.length} members · {formatCount(g.consumed)} consumed
            </Text>
            <Group gap="xs">
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => m.addMember.mutate({ groupId: g.groupId })}
              >
                Add member
              </Button>
              <Button
                size="compact-xs"
                variant="light"
                color="red"
                onClick={() => m.stopGroup.mutate({ groupId: g.groupId })}
              >
                Stop group
              </Button>
            </Group>
          </Group>
          <Table>
            <Table.Tbody>
              {g.members.map((member) => (
                <Table.Tr key={member.memberId}>
                  <Table.Td ff="monospace" fz="xs">
                    {member.memberId}
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(member.consumed)} consumed</Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => m.removeMember.mutate({ groupId: g.groupId, memberId: member.memberId })}
                    >
                      Remove
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ))}
    </Stack>
  );
}
