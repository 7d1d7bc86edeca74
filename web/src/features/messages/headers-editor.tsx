import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';

export interface HeaderDraft {
  key: string;
  value: string;
}

/** Record headers as editable key/value rows. */
export function HeadersEditor({
  headers,
  onChange,
}: {
  headers: HeaderDraft[];
  onChange: (h: HeaderDraft[]) => void;
}) {
  const update = (index: number, patch: Partial<HeaderDraft>) =>
    onChange(headers.map((h, i) => (i === index ? { ...h, ...patch } : h)));
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        Headers
      </Text>
      {headers.map((h, i) => (
        <Group key={i} gap="xs" wrap="nowrap">
          <TextInput
            aria-label={`Header ${i + 1} key`}
            placeholder="key"
            value={h.key}
            onChange={(e) => update(i, { key: e.currentTarget.value })}
            w={180}
          />
          <TextInput
            aria-label={`Header ${i + 1} value`}
            placeholder="value"
            value={h.value}
            onChange={(e) => update(i, { value: e.currentTarget.value })}
            style={{ flex: 1 }}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Remove header ${i + 1}`}
            onClick={() => onChange(headers.filter((_, j) => j !== i))}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Button
        size="compact-xs"
        variant="subtle"
        w="fit-content"
        onClick={() => onChange([...headers, { key: '', value: '' }])}
      >
        Add header
      </Button>
    </Stack>
  );
}
