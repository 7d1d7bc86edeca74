import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLEAN_SHUTDOWN_FILE } from './log/log-files';
import { encodeRecordBatch } from './log/record-batch';
import { readAll, startBroker, tempDataDir } from './test-support/broker-fixtures';

/**
 * Acknowledged records survive a clean restart and a SIGKILL of the process running the broker:
 * every acknowledged record reads back at its offset, in order, with nothing torn or foreign.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const temps: (() => void)[] = [];
afterAll(() => temps.forEach((cleanup) => cleanup()));

function temp(): string {
  const t = tempDataDir();
  temps.push(t.cleanup);
  return t.dir;
}

describe('durability', () => {
  it('reads back 2,000 records of 8 partitions in order after a restart', async () => {
    const dir = temp();
    let broker = await startBroker(dir);
    await broker.createTopic('orders', { partitions: 8 });
    const expected: string[][] = Array.from({ length: 8 }, () => []);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      const partition = i % 8;
      const values = Array.from({ length: 10 }, (_, k) => `${partition}:${expected[partition]!.length + k}`);
      expected[partition]!.push(...values);
      const batch = encodeRecordBatch(values.map((v) => ({ key: null, value: Buffer.from(v) })));
      writes.push(broker.produce('orders', partition, batch, { acks: -1 }));
    }
    await Promise.all(writes);
    await broker.stop();

    broker = await startBroker(dir);
    const described = await broker.describeTopic('orders');
    expect(described.records).toBe(2000);
    for (let p = 0; p < 8; p++) {
      const records = await readAll(broker, 'orders', p);
      expect(records.map((r) => r.value)).toEqual(expected[p]);
      expect(records.map((r) => r.offset)).toEqual(expected[p]!.map((_, i) => i));
    }
    await broker.stop();
  });

  it('resolves every stop() only once the broker has stopped and closed its logs', async () => {
    const dir = temp();
    const broker = await startBroker(dir);
    await broker.createTopic('orders', { partitions: 1 });
    await broker.produceRecords('orders', [{ value: 'a' }]);
    const first = broker.stop();
    await broker.stop(); // e.g. a second SIGINT, or the console and the CLI both stopping it
    expect(broker.state).toBe('stopped');
    expect(fs.existsSync(path.join(dir, 'logs', 'orders-0', CLEAN_SHUTDOWN_FILE))).toBe(true);
    await first;
  });

  it('keeps every acknowledged record after SIGKILL of the broker process', async () => {
    const dir = temp();
    const acked = await runAndKill(dir, 2000);
    const broker = await startBroker(dir);
    let total = 0;
    for (let p = 0; p < 8; p++) {
      const records = await readAll(broker, 'orders', p);
      // Everything read back is what the producer wrote at that offset: no torn or foreign bytes.
      records.forEach((r, i) => {
        expect(r.offset).toBe(i);
        expect(r.value).toBe(`${p}:${i}`);
      });
      const mustHave = acked.get(p) ?? 0;
      expect(records.length).toBeGreaterThanOrEqual(mustHave);
      total += mustHave;
    }
    expect(total).toBeGreaterThanOrEqual(2000);
    // The broker goes on appending after the recovered tail.
    const result = await broker.produceRecords('orders', [{ value: 'after', partition: 3 }]);
    expect(result[0]?.offset).toBe((await broker.listOffsets('orders', 3, 'latest')).offset - 1);
    await broker.stop();
  });
});

/** Runs the child until it has acknowledged `atLeast` records, kills it; returns acked ends per partition. */
function runAndKill(dataDir: string, atLeast: number): Promise<Map<number, number>> {
  const script = path.join(here, 'test-support', 'produce-and-print.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, 'orders', '8'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ends = new Map<number, number>();
    let records = 0;
    let pending = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [p, base, count] = line.split(' ').map(Number);
        if (p === undefined || base === undefined || count === undefined || Number.isNaN(count)) continue;
        ends.set(p, Math.max(ends.get(p) ?? 0, base + count));
        records += count;
      }
      if (!killed && records >= atLeast) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited on its own: ${err}`));
      else resolve(ends);
    });
  });
}
