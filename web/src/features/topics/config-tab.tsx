import { ActionIcon, Badge, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { ConfigEntry, TopicDescription } from '../../api/types';
import { EditConfigModal } from './edit-config-modal';

const SOURCE_LABEL: Record<ConfigEntry['source'], string> = {
  TOPIC: 'topic',
  BROKER: 'broker',
  DEFAULT: 'default',
};

/** Every config with its value, where it comes from, and its documentation; edit one at a time. */
export function ConfigTab({ topic }: { topic: TopicDescription }) {
  const [editing, setEditing] = useState<ConfigEntry | null>(null);
  return (
    <>
      <Table.ScrollContainer minWidth={800}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Config</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Source</Table.Th>
              <Table.Th>Default</Table.Th>
              <Table.Th w={40} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {topic.configs.map((c) => (
              <Table.Tr key={c.name}>
                <Table.Td>
                  <Tooltip label={c.documentation} multiline w={360} withinPortal>
                    <Text size="sm" ff="monospace" style={{ cursor: 'help' }} tabIndex={0}>
                      {c.name}
                    </Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td ff="monospace" fz="sm">
                  {c.sensitive ? '••••' : (c.value ?? 'null')}
                </Table.Td>
                <Table.Td>
                  <Badge
                    size="sm"
                    variant={c.source === 'TOPIC' ? 'filled' : 'light'}
                    color={c.source === 'TOPIC' ? 'teal' : 'gray'}
                  >
                    {SOURCE_LABEL[c.source]}
                  </Badge>
                </Table.Td>
                <Table.Td ff="monospace" fz="sm" c="dimmed">
                  {c.defaultValue ?? '—'}
                </Table.Td>
                <Table.Td>
                  {!c.readOnly && !topic.internal && (
                    <ActionIcon variant="subtle" aria-label={`Edit ${c.name}`} onClick={() => setEditing(c)}>
                      ✎
                    </ActionIcon>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <EditConfigModal topic={topic.name} entry={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
