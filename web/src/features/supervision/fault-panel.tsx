import { Button, Group, NumberInput, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { fieldError } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import { notifyError, notifySuccess } from '../../shell/notify';

/** Crash an actor, fail its next disk writes, slow it down, or clear what was injected. */
export function FaultPanel({ path }: { path: string }) {
  const trpc = useTRPC();
  const [count, setCount] = useState<number | string>(3);
  const [delayMs, setDelayMs] = useState<number | string>(200);
  const [durationS, setDurationS] = useState<number | string>(30);
  const inject = useMutation(
    trpc.supervision.injectFault.mutationOptions({
      onSuccess: (r) => notifySuccess(`Injected ${r.injected} into ${r.path}`),
      onError: (e) => {
        if (!fieldError(e, 'count', 'delayMs', 'durationMs')) notifyError(e, 'Fault injection failed');
      },
    }),
  );
  const num = (v: number | string) => (typeof v === 'number' ? v : Number.NaN);
  return (
    <Paper withBorder p="sm">
      <Stack gap="sm">
        <Text fw={500} size="sm">
          Fault injection
        </Text>
        <Group gap="xs">
          <Button
            color="red"
            size="xs"
            loading={inject.isPending}
            onClick={() => inject.mutate({ kind: 'crash', path })}
          >
            Crash
          </Button>
          <Button variant="default" size="xs" onClick={() => inject.mutate({ kind: 'clear', path })}>
            Clear faults
          </Button>
        </Group>
        <Group gap="xs" align="flex-end">
          <NumberInput
            label="Writes to fail"
            size="xs"
            w={130}
            min={1}
            max={1000}
            value={count}
            onChange={setCount}
            error={fieldError(inject.error, 'count')}
          />
          <Button
            size="xs"
            variant="light"
            color="orange"
            onClick={() => inject.mutate({ kind: 'fail-writes', path, count: num(count) })}
          >
            Fail next writes
          </Button>
        </Group>
        <Group gap="xs" align="flex-end">
          <NumberInput
            label="Delay (ms)"
            size="xs"
            w={110}
            min={1}
            max={60_000}
            value={delayMs}
            onChange={setDelayMs}
            error={fieldError(inject.error, 'delayMs')}
          />
          <NumberInput
            label="For (s)"
            size="xs"
            w={90}
            min={1}
            max={600}
            value={durationS}
            onChange={setDurationS}
            error={fieldError(inject.error, 'durationMs')}
          />
          <Button
            size="xs"
            variant="light"
            color="yellow"
            onClick={() =>
              inject.mutate({ kind: 'delay', path, delayMs: num(delayMs), durationMs: num(durationS) * 1000 })
            }
          >
            Slow down
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
