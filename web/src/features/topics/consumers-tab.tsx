import { Alert, Badge, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import { formatCount } from '../../lib/format';
import { AnchorLink } from '../../shell/links';
import { PageLoader } from '../../shell/page-loader';
import { GROUP_STATE_COLOR } from '../groups/group-state';

/** The consumer groups reading this topic, with their state and lag. */
export function ConsumersTab({ topic }: { topic: string }) {
  const trpc = useTRPC();
  const groups = useQuery({ ...trpc.groups.list.queryOptions({ topic }), refetchInterval: 5000 });
  if (groups.error) return <Alert color="red">{errorMessage(groups.error)}</Alert>;
  if (!groups.data) return <PageLoader />;
  if (groups.data.length === 0) return <Text c="dimmed">No consumer group reads this topic.</Text>;
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Group</Table.Th>
          <Table.Th>State</Table.Th>
          <Table.Th ta="right">Members</Table.Th>
          <Table.Th ta="right">Generation</Table.Th>
          <Table.Th ta="right">Lag</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {groups.data.map((g) => (
          <Table.Tr key={g.groupId}>
            <Table.Td>
              <AnchorLink to="/groups/$groupId" params={{ groupId: g.groupId }}>
                {g.groupId}
              </AnchorLink>
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color={GROUP_STATE_COLOR[g.state]}>
                {g.state}
              </Badge>
            </Table.Td>
            <Table.Td ta="right">{g.members}</Table.Td>
            <Table.Td ta="right">{g.generation}</Table.Td>
            <Table.Td ta="right">{formatCount(g.totalLag)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
