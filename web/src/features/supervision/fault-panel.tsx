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
          <FaultAmount
            label="Writes to fail"
            w={130}
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
          <FaultAmount
            label="Delay (ms)"
            w={110}
            max={60_000}
            value={delayMs}
            onChange={setDelayMs}
            error={fieldError(inject.error, 'delayMs')}
          />
          <FaultAmount
            label="For (s)"
            w={90}
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

/** A small number input for a fault's amount, from 1 to max. */
function FaultAmount({
  label,
  w,
  max,
  value,
  onChange,
  error,
}: {
  label: string;
  w: number;
  max: number;
  value: number | string;
  onChange: (value: number | string) => void;
  error: string | undefined;
}) {
  return (
    <NumberInput
      label={label}
      size="xs"
      w={w}
      min={1}
      max={max}
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}
