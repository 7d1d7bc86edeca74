import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, tempDataDir } from '../test-support/broker-fixtures';
import { startGroupBroker, testConsumer } from './test-support/group-fixtures';

/**
 * At least once across a SIGKILL: a child process runs the broker and two consumers that commit
 * as they go; it is killed mid-way; a consumer of the same group in a restarted broker resumes
 * from the committed offsets, and every produced record was processed in one run or the other.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const temps: (() => void)[] = [];
afterAll(() => temps.forEach((cleanup) => cleanup()));

const TOTAL = 4000;
const PARTITIONS = 4;

interface FirstRun {
  produced: number;
  consumed: Set<string>;
  /** The last acknowledged commit printed, per partition. */
  committed: Map<number, number>;
}

function runAndKill(dataDir: string): Promise<FirstRun> {
  const script = path.join(here, 'test-support', 'consume-and-print.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, dataDir, String(TOTAL), String(PARTITIONS)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const run: FirstRun = { produced: 0, consumed: new Set(), committed: new Map() };
    let pending = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, a, b] = line.split(' ');
        if (kind === 'P') run.produced = Number(a);
        else if (kind === 'C') run.consumed.add(`${a}:${b}`);
        else if (kind === 'K')
          run.committed.set(Number(a), Math.max(run.committed.get(Number(a)) ?? 0, Number(b)));
      }
      // Mid-way: some records processed and committed, most not yet.
      if (!killed && run.consumed.size >= TOTAL / 4 && run.committed.size > 0) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the child exited on its own: ${err}`));
      else resolve(run);
    });
  });
}

describe('consumer group across a SIGKILL of the broker process', () => {
  it('resumes from the committed offsets and processes every record at least once', async () => {
    const temp = tempDataDir();
    temps.push(temp.cleanup);
    const first = await runAndKill(temp.dir);
    expect(first.produced).toBe(TOTAL);
    expect(first.consumed.size).toBeLessThan(TOTAL);

    const broker = await startGroupBroker(temp.dir);
    try {
      const committed = await broker.fetchOffsets('crash-test', null);
      const restored = new Map(committed.topics[0]?.partitions.map((p) => [p.partition, p.offset]));
      // Every acknowledged commit survived the kill.
      for (const [partition, offset] of first.committed) {
        expect(restored.get(partition)).toBeGreaterThanOrEqual(offset);
      }
      const second = new Map<number, number[]>();
      let count = 0;
      const consumer = testConsumer(broker, { groupId: 'crash-test', topics: ['events'] });
      void consumer.run(({ partition, records }) => {
        const list = second.get(partition) ?? [];
        for (const r of records) list.push(r.offset);
        second.set(partition, list);
        count += records.length;
      });
      const perPartition = TOTAL / PARTITIONS;
      await eventually(
        () => [...Array(PARTITIONS).keys()].every((p) => (second.get(p)?.at(-1) ?? -1) === perPartition - 1),
        'the rest of every partition',
        60_000,
      );
      await consumer.close();
      // It started where the group had committed (not from the beginning)...
      for (let p = 0; p < PARTITIONS; p++) {
        const start = restored.get(p) ?? -1;
        expect(second.get(p)?.[0] ?? perPartition).toBe(start < 0 ? 0 : start);
      }
      expect(count).toBeLessThan(TOTAL);
      // ...and nothing was skipped: each record was processed in one run or the other.
      const missing: string[] = [];
      for (let p = 0; p < PARTITIONS; p++) {
        const later = new Set(second.get(p) ?? []);
        for (let offset = 0; offset < perPartition; offset++) {
          if (!first.consumed.has(`${p}:${offset}`) && !later.has(offset)) missing.push(`${p}:${offset}`);
        }
      }
      expect(missing).toEqual([]);
    } finally {
      await broker.stop();
    }
  });
});
