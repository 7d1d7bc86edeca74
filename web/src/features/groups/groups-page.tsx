import { Alert, Badge, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { errorMessage } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import { formatCount } from '../../lib/format';
import { AnchorLink } from '../../shell/links';
import { PageLoader } from '../../shell/page-loader';
import { GROUP_STATE_COLOR } from './group-state';

const route = getRouteApi('/groups');

/** Every consumer group with its state, members, protocol and total lag. */
export function GroupsPage() {
  const trpc = useTRPC();
  const { q } = route.useSearch();
  const navigate = route.useNavigate();
  const groups = useQuery({ ...trpc.groups.list.queryOptions(), refetchInterval: 5000 });
  const needle = q.trim().toLowerCase();
  const shown = (groups.data ?? []).filter((g) => g.groupId.toLowerCase().includes(needle));
  return (
    <Stack>
      <Title order={2}>Consumer groups</Title>
      <TextInput
        aria-label="Search groups"
        placeholder="Search groups"
        value={q}
        onChange={(e) => void navigate({ search: { q: e.currentTarget.value }, replace: true })}
        w={320}
      />
      {groups.error && <Alert color="red">{errorMessage(groups.error)}</Alert>}
      {groups.isPending ? (
        <PageLoader />
      ) : shown.length === 0 ? (
        <Text c="dimmed">{needle ? `No group matches "${q}".` : 'No consumer groups yet.'}</Text>
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Group</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th ta="right">Members</Table.Th>
                <Table.Th>Protocol</Table.Th>
                <Table.Th ta="right">Generation</Table.Th>
                <Table.Th>Topics</Table.Th>
                <Table.Th ta="right">Lag</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((g) => (
                <Table.Tr key={g.groupId}>
                  <Table.Td>
                    <AnchorLink to="/groups/$groupId" params={{ groupId: g.groupId }} fw={500}>
                      {g.groupId}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={GROUP_STATE_COLOR[g.state]}>
                      {g.state}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{g.members}</Table.Td>
                  <Table.Td>
                    {g.protocolType}
                    {g.protocol && ` / ${g.protocol}`}
                  </Table.Td>
                  <Table.Td ta="right">{g.generation}</Table.Td>
                  <Table.Td>{g.topics.join(', ')}</Table.Td>
                  <Table.Td ta="right">{formatCount(g.totalLag)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
