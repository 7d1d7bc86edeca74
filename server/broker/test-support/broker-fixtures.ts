import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { Broker } from '../broker';
import type { BrokerOptions } from '../broker-options';
import { type BrokerErrorCode, isBrokerError } from '../errors';
import type { DecodedRecord, RecordInput } from '../log/record';
import { decodeBatches, encodeRecordBatch, type EncodeOptions } from '../log/record-batch';

/** Shared helpers of the broker's tests: temp data dirs, brokers, batches, read-everything. */

export function tempDataDir(prefix = 'sluice-broker-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Fast supervision for tests: no backoff unless asked, and a short fetch/request deadline. */
export async function startBroker(dataDir: string, options: Partial<BrokerOptions> = {}): Promise<Broker> {
  const broker = new Broker({
    dataDir,
    faultInjection: true,
    partitionSupervision: { backoff: null, maxRestarts: 5, withinMs: 60_000 },
    requestTimeoutMs: 10_000,
    ...options,
  });
  await broker.start();
  return broker;
}

export function textRecords(
  values: string[],
  options: { key?: string; timestamp?: number } = {},
): RecordInput[] {
  return values.map((v) => ({
    key: options.key === undefined ? null : Buffer.from(options.key),
    value: Buffer.from(v),
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  }));
}

export function batchOf(
  values: string[],
  options: EncodeOptions & { key?: string; timestamp?: number } = {},
): Buffer {
  return encodeRecordBatch(textRecords(values, options), options);
}

export interface ReadBack {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: { key: string; value: string | null }[];
}

function flatten(record: DecodedRecord): ReadBack {
  return {
    offset: record.offset,
    timestamp: record.timestamp,
    key: record.key?.toString() ?? null,
    value: record.value?.toString() ?? null,
    headers: record.headers.map((h) => ({ key: h.key, value: h.value?.toString() ?? null })),
  };
}

/** Every record of a partition, by fetching from its start like a consumer. */
export async function readAll(broker: Broker, topic: string, partition: number): Promise<ReadBack[]> {
  const { offset: start } = await broker.listOffsets(topic, partition, 'earliest');
  const out: ReadBack[] = [];
  let next = start;
  for (;;) {
    const response = await broker.fetch({
      partitions: [{ topic, partition, offset: next, maxBytes: 1024 * 1024 }],
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 4 * 1024 * 1024,
    });
    const result = response.partitions[0];
    if (result === undefined) throw new Error('no partition in the fetch response');
    if (result.error) throw result.error;
    let advanced = false;
    for (const batch of decodeBatches(result.records)) {
      for (const record of batch.records) {
        if (record.offset < next) continue;
        out.push(flatten(record));
        next = record.offset + 1;
        advanced = true;
      }
      next = Math.max(next, batch.header.baseOffset + batch.header.lastOffsetDelta + 1);
    }
    if (!advanced && next >= result.highWatermark) return out;
    if (!advanced && result.records.length === 0) return out;
  }
}

export async function expectBrokerError(
  promise: Promise<unknown> | (() => unknown),
  code: BrokerErrorCode,
  message?: RegExp,
) {
  let error: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    error = e;
  }
  expect(isBrokerError(error), `expected BrokerError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  if (message !== undefined) expect((error as Error).message).toMatch(message);
  return error as Error;
}

/** Resolves after the next macrotask turn(s): lets restarts and timers of 0 ms run. */
export function settle(turns = 1): Promise<void> {
  let p = Promise.resolve();
  for (let i = 0; i < turns; i++) p = p.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  return p;
}

/** Waits until `check` holds, polling the event loop (tests only; never in the implementation). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  turns = 20_000,
): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await check()) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
