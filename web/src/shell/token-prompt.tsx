import { Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { getToken, setToken } from '../api/auth-token';

/** Shown when the server requires a token and the stored one is missing or wrong. */
export function TokenPrompt() {
  const queryClient = useQueryClient();
  const [value, setValue] = useState('');
  const hadToken = getToken() !== null;
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setToken(value.trim());
    void queryClient.invalidateQueries();
  };
  return (
    <Paper withBorder p="lg" maw={480}>
      <form onSubmit={submit}>
        <Stack>
          <Title order={3}>Console token</Title>
          <Text size="sm" c="dimmed">
            This Sluice server was started with --auth-token. Enter that token to use the console; it stays in
            this browser.
          </Text>
          <PasswordInput
            label="Token"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            error={hadToken && value === '' ? 'The stored token was refused' : undefined}
            autoFocus
            required
          />
          <Button type="submit" disabled={value.trim() === ''}>
            Continue
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
