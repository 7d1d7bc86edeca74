import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isBrokerError } from '../errors';
import { type ProducerBatchHeader, incrementSequence, inSequence } from './producer-state-entry';
import { type AppendCheck, ProducerStateManager } from './producer-state-manager';
import {
  readProducerStateSnapshot,
  snapshotFileName,
  writeProducerStateSnapshot,
} from './producer-state-snapshot';

const INT32_MAX = 0x7fffffff;

function batch(producerId: number, producerEpoch: number, baseSequence: number, records = 1, ts = 1000) {
  return {
    baseOffset: 0,
    lastOffsetDelta: records - 1,
    producerId,
    producerEpoch,
    baseSequence,
    maxTimestamp: ts,
    attributes: 0,
  } satisfies ProducerBatchHeader;
}

/** A partition in miniature: check, assign offsets, record; keeps the stored headers. */
class FakePartition {
  readonly psm = new ProducerStateManager({ topicPartition: 'orders-0' });
  readonly log: ProducerBatchHeader[] = [];
  logEndOffset = 0;

  append(header: ProducerBatchHeader): { baseOffset: number; duplicate: boolean } {
    const check = this.psm.checkAppend(header);
    if (check.duplicate) return { baseOffset: check.duplicate.firstOffset, duplicate: true };
    const baseOffset = this.logEndOffset;
    this.log.push({ ...header, baseOffset });
    this.psm.onAppended(header, baseOffset);
    this.logEndOffset = baseOffset + header.lastOffsetDelta + 1;
    return { baseOffset, duplicate: false };
  }
}

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (isBrokerError(error)) return error.code;
    throw error;
  }
}

/** What a manager decides for a probe: 'append', 'dup@<offset>' or the error code. */
function decide(psm: ProducerStateManager, header: ProducerBatchHeader): string {
  let check: AppendCheck | undefined;
  const code = errorCode(() => (check = psm.checkAppend(header)));
  if (code) return code;
  return check?.duplicate ? `dup@${check.duplicate.firstOffset}` : 'append';
}

describe('ProducerStateManager', () => {
  it('answers a retried identical batch with the original offsets and writes nothing', () => {
    const p = new FakePartition();
    p.append(batch(-1, -1, -1, 3)); // a non-idempotent batch first, so offsets are not 0
    expect(p.append(batch(7, 0, 0, 2))).toEqual({ baseOffset: 3, duplicate: false });
    expect(p.append(batch(7, 0, 2, 2))).toEqual({ baseOffset: 5, duplicate: false });
    const check = p.psm.checkAppend(batch(7, 0, 0, 2));
    expect(check.duplicate).toEqual({
      firstSeq: 0,
      lastSeq: 1,
      firstOffset: 3,
      lastOffset: 4,
      timestamp: 1000,
    });
    expect(p.append(batch(7, 0, 0, 2))).toEqual({ baseOffset: 3, duplicate: true });
    expect(p.log).toHaveLength(3);
    expect(p.append(batch(7, 0, 4, 1))).toEqual({ baseOffset: 7, duplicate: false });
  });

  it('rejects a gap with OUT_OF_ORDER_SEQUENCE_NUMBER naming expected and received sequences', () => {
    const p = new FakePartition();
    p.append(batch(7, 0, 0, 5));
    let message = '';
    try {
      p.psm.checkAppend(batch(7, 0, 6));
    } catch (error) {
      expect(isBrokerError(error, 'OUT_OF_ORDER_SEQUENCE_NUMBER')).toBe(true);
      message = (error as Error).message;
    }
    expect(message).toContain('expected sequence 5');
    expect(message).toContain('received 6');
    // A batch overlapping the last one without matching it exactly is out of order too.
    expect(errorCode(() => p.psm.checkAppend(batch(7, 0, 3, 2)))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
  });

  it('fences an older epoch with INVALID_PRODUCER_EPOCH and requires sequence 0 for a new epoch', () => {
    const p = new FakePartition();
    p.append(batch(7, 1, 0, 3));
    expect(errorCode(() => p.append(batch(7, 0, 3)))).toBe('INVALID_PRODUCER_EPOCH');
    expect(errorCode(() => p.append(batch(7, 2, 3)))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(p.append(batch(7, 2, 0)).duplicate).toBe(false);
    // Now the old epoch 1 is fenced, even for what was once its duplicate.
    expect(errorCode(() => p.append(batch(7, 1, 0, 3)))).toBe('INVALID_PRODUCER_EPOCH');
  });

  it('keeps a window of 5 batches: a retry of the 6th-last batch is out of order', () => {
    const p = new FakePartition();
    for (let i = 0; i < 6; i += 1) p.append(batch(7, 0, i * 2, 2));
    expect(decide(p.psm, batch(7, 0, 2, 2))).toBe('dup@2'); // 5th-last
    expect(decide(p.psm, batch(7, 0, 10, 2))).toBe('dup@10'); // last
    expect(decide(p.psm, batch(7, 0, 0, 2))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER'); // 6th-last
    expect(p.psm.lastEntry(7)?.batches).toHaveLength(5);
  });

  it('accepts unknown producers by default and rejects them with UNKNOWN_PRODUCER_ID when strict', () => {
    const lenient = new ProducerStateManager({ topicPartition: 't-0' });
    expect(decide(lenient, batch(9, 0, 42))).toBe('append');
    const strict = new ProducerStateManager({ topicPartition: 't-0', unknownProducerPolicy: 'reject' });
    expect(decide(strict, batch(9, 0, 42))).toBe('UNKNOWN_PRODUCER_ID');
    expect(decide(strict, batch(9, 0, 0))).toBe('append');
  });

  it('rejects a batch with a producer id but no sequence, and ignores batches without producer id', () => {
    const psm = new ProducerStateManager({ topicPartition: 't-0' });
    expect(decide(psm, batch(9, 0, -1))).toBe('INVALID_RECORD');
    expect(decide(psm, batch(-1, -1, -1))).toBe('append');
    psm.onAppended(batch(-1, -1, -1, 4), 0);
    expect(psm.producerCount).toBe(0);
    expect(psm.mapEndOffset).toBe(4);
  });

  it('wraps sequences at Int32 max as Kafka does', () => {
    expect(incrementSequence(INT32_MAX - 1, 3)).toBe(1);
    expect(inSequence(INT32_MAX, 0)).toBe(true);
    const p = new FakePartition();
    p.append(batch(7, 0, INT32_MAX - 2, 3)); // sequences MAX-2 .. MAX
    expect(decide(p.psm, batch(7, 0, 0, 2))).toBe('append');
    p.append(batch(7, 0, 0, 2));
    expect(decide(p.psm, batch(7, 0, INT32_MAX - 2, 3))).toBe('dup@0');
    // A batch straddling the wrap: MAX-1, MAX, 0, 1.
    const q = new FakePartition();
    q.append(batch(7, 0, INT32_MAX - 4, 3));
    q.append(batch(7, 0, INT32_MAX - 1, 4));
    expect(q.psm.lastEntry(7)?.lastSeq).toBe(1);
    expect(decide(q.psm, batch(7, 0, 2))).toBe('append');
  });

  it('rebuilt from the stored headers, it makes the same decisions', async () => {
    const p = new FakePartition();
    p.append(batch(1, 0, 0, 3));
    p.append(batch(-1, -1, -1, 2));
    p.append(batch(2, 4, 0, 1));
    for (let i = 0; i < 7; i += 1) p.append(batch(1, 0, 3 + i, 1));
    p.append(batch(2, 5, 0, 2));
    const probes = [
      batch(1, 0, 10),
      batch(1, 0, 9),
      batch(1, 0, 5),
      batch(1, 0, 4),
      batch(1, 0, 12),
      batch(2, 4, 0),
      batch(2, 5, 0, 2),
      batch(2, 5, 2),
      batch(2, 6, 1),
      batch(3, 0, 5),
    ];
    const expected = probes.map((h) => decide(p.psm, h));
    expect(expected).toEqual([
      'append',
      'dup@12',
      'dup@8',
      'OUT_OF_ORDER_SEQUENCE_NUMBER',
      'OUT_OF_ORDER_SEQUENCE_NUMBER',
      'INVALID_PRODUCER_EPOCH',
      'dup@13',
      'append',
      'OUT_OF_ORDER_SEQUENCE_NUMBER',
      'append',
    ]);

    const rebuilt = new ProducerStateManager({ topicPartition: 'orders-0' });
    rebuilt.rebuild(p.log);
    expect(probes.map((h) => decide(rebuilt, h))).toEqual(expected);
    expect(rebuilt.mapEndOffset).toBe(p.logEndOffset);

    async function* stream() {
      yield* p.log;
    }
    const rebuiltAsync = new ProducerStateManager({ topicPartition: 'orders-0' });
    await rebuiltAsync.rebuildAsync(stream());
    expect(probes.map((h) => decide(rebuiltAsync, h))).toEqual(expected);

    // Snapshot half-way, then replay the whole log: batches the snapshot covers are skipped.
    const half = new ProducerStateManager({ topicPartition: 'orders-0' });
    half.rebuild(p.log.slice(0, 6));
    const fromSnapshot = new ProducerStateManager({ topicPartition: 'orders-0' });
    fromSnapshot.loadSnapshot(JSON.parse(JSON.stringify(half.snapshot())));
    fromSnapshot.rebuild(p.log);
    expect(probes.map((h) => decide(fromSnapshot, h))).toEqual(expected);
    expect(fromSnapshot.snapshot()).toEqual(p.psm.snapshot());
  });

  it('drops producers whose data is below the log start', () => {
    const p = new FakePartition();
    p.append(batch(1, 0, 0, 3)); // offsets 0-2
    p.append(batch(2, 0, 0, 3)); // 3-5
    p.psm.truncateHead(3);
    expect(p.psm.lastEntry(1)).toBeUndefined();
    expect(p.psm.lastEntry(2)).toBeDefined();
  });

  it('expires idle producers after producer.id.expiration.ms', () => {
    const psm = new ProducerStateManager({ topicPartition: 't-0', producerIdExpirationMs: 60_000 });
    psm.onAppended(batch(1, 0, 0, 1, 1_000), 0);
    psm.onAppended(batch(2, 0, 0, 1, 50_000), 1);
    expect(psm.removeExpiredProducers(60_999)).toBe(0);
    expect(psm.removeExpiredProducers(61_000)).toBe(1);
    expect(psm.lastEntry(1)).toBeUndefined();
    expect(psm.lastEntry(2)).toBeDefined();
    // Expired producers are also skipped when a snapshot is loaded.
    const restored = new ProducerStateManager({ topicPartition: 't-0', producerIdExpirationMs: 60_000 });
    restored.loadSnapshot(psm.snapshot(), 110_000);
    expect(restored.producerCount).toBe(0);
  });

  it('rejects a malformed snapshot with CORRUPT_MESSAGE', () => {
    const psm = new ProducerStateManager({ topicPartition: 't-0' });
    expect(errorCode(() => psm.loadSnapshot({ version: 1, offset: -3, producers: [] }))).toBe(
      'CORRUPT_MESSAGE',
    );
    expect(errorCode(() => psm.loadSnapshot('nonsense'))).toBe('CORRUPT_MESSAGE');
  });
});

describe('producer state snapshot files', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('reads the newest valid snapshot not beyond the log end and deletes unusable ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-psm-'));
    dirs.push(dir);
    const psm = new ProducerStateManager({ topicPartition: 't-0' });
    psm.onAppended(batch(1, 0, 0, 10), 0);
    await writeProducerStateSnapshot(dir, psm.snapshot());
    psm.onAppended(batch(1, 0, 10, 10), 10);
    await writeProducerStateSnapshot(dir, psm.snapshot());
    psm.onAppended(batch(1, 0, 20, 10), 20);
    await writeProducerStateSnapshot(dir, psm.snapshot(), 2);
    expect((await readdir(dir)).sort()).toEqual([snapshotFileName(20), snapshotFileName(30)]);

    // The log was truncated to 25 by recovery: snapshot 30 describes lost data.
    const snap = await readProducerStateSnapshot(dir, 25);
    expect(snap?.offset).toBe(20);
    expect(await readdir(dir)).toEqual([snapshotFileName(20)]);

    await writeFile(join(dir, snapshotFileName(20)), '{"version":1,');
    expect(await readProducerStateSnapshot(dir, 100)).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });
});
