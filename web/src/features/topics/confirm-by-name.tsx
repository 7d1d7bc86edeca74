import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';

interface ConfirmByNameProps {
  name: string;
  action: string;
  consequence: string;
  pending: boolean;
  error?: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A destructive action goes ahead only once the operator has typed the name of its target. */
export function ConfirmByName({
  name,
  action,
  consequence,
  pending,
  error,
  onConfirm,
  onCancel,
}: ConfirmByNameProps) {
  const [typed, setTyped] = useState('');
  const matches = typed === name;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (matches) onConfirm();
      }}
    >
      <Stack>
        <Text size="sm">{consequence}</Text>
        <TextInput
          label={`Type ${name} to confirm`}
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          error={error}
          autoFocus
          autoComplete="off"
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="red" disabled={!matches} loading={pending}>
            {action}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
