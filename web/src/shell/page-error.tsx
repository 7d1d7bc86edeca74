import { Alert, Button, Stack, Text } from '@mantine/core';
import type { ErrorComponentProps } from '@tanstack/react-router';

/** A page that failed to render or load its code: say so and offer a retry, keep the shell. */
export function PageError({ error, reset }: ErrorComponentProps) {
  return (
    <Alert color="red" title="This page failed">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
        <Button size="xs" variant="light" onClick={reset}>
          Try again
        </Button>
      </Stack>
    </Alert>
  );
}
