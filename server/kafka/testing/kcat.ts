/**
 * Test support: kcat (librdkafka) as a consumer and producer, bounded by timeouts.
 */
import { runOk } from './run-process';

export const KCAT = '/usr/bin/kcat';

export interface ConsumedRecord {
  partition: number;
  offset: number;
  key: string;
  value: string;
}

/**
 * Reads a whole topic from the beginning to the current end (`-e`) as `partition offset key value`
 * lines (keys and values must not contain spaces or newlines).
 */
export async function kcatConsumeAll(
  bootstrap: string,
  topic: string,
  timeoutMs = 20_000,
): Promise<ConsumedRecord[]> {
  const { stdout } = await runOk(
    KCAT,
    ['-C', '-b', bootstrap, '-t', topic, '-e', '-o', 'beginning', '-q', '-f', '%p %o %k %s\\n'],
    { timeoutMs },
  );
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [p, o, k, v] = line.split(' ');
      return { partition: Number(p), offset: Number(o), key: k ?? '', value: v ?? '' };
    });
}

/** Produces `key:value` lines with librdkafka's Java-compatible murmur2 partitioner. */
export async function kcatProduceKeyed(
  bootstrap: string,
  topic: string,
  lines: readonly string[],
  extra: readonly string[] = [],
): Promise<void> {
  await runOk(
    KCAT,
    ['-P', '-b', bootstrap, '-t', topic, '-K:', '-X', 'partitioner=murmur2_random', ...extra],
    { input: `${lines.join('\n')}\n` },
  );
}
