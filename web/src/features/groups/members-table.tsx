import { Table, Text } from '@mantine/core';
import type { GroupDescription } from '../../api/types';

/** The members and the partitions each was assigned in the current generation. */
export function MembersTable({ group }: { group: GroupDescription }) {
  if (group.members.length === 0) return <Text c="dimmed">The group has no members.</Text>;
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Member</Table.Th>
          <Table.Th>Client</Table.Th>
          <Table.Th>Host</Table.Th>
          <Table.Th>Assignment</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {group.members.map((m) => (
          <Table.Tr key={m.memberId}>
            <Table.Td ff="monospace" fz="xs">
              {m.memberId}
              {m.groupInstanceId && ` (static: ${m.groupInstanceId})`}
            </Table.Td>
            <Table.Td>{m.clientId}</Table.Td>
            <Table.Td>{m.clientHost}</Table.Td>
            <Table.Td>
              {m.assignment.length === 0
                ? '—'
                : m.assignment.map((a) => `${a.topic} [${a.partitions.join(', ')}]`).join('; ')}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
