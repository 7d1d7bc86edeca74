import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBrokerError } from '../errors';
import { MAX_PRODUCER_EPOCH, PRODUCER_ID_BLOCK_FILE, ProducerIdManager } from './producer-id-manager';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-pid-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (isBrokerError(error)) return error.code;
    throw error;
  }
}

describe('ProducerIdManager', () => {
  it('never reuses an id across reloads, whether blocks were used up or not', async () => {
    const seen = new Set<number>();
    for (let run = 0; run < 4; run += 1) {
      const manager = await ProducerIdManager.open({ dataDir, blockSize: 10 });
      // Run 1 crosses several block boundaries; the others stop part-way through a block.
      const count = run === 1 ? 25 : 3;
      for (let i = 0; i < count; i += 1) {
        const id = await manager.generateProducerId();
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
      await manager.close();
    }
    expect(seen.size).toBe(3 + 25 + 3 + 3);
    const file = JSON.parse(await readFile(join(dataDir, PRODUCER_ID_BLOCK_FILE), 'utf8')) as unknown;
    expect(file).toMatchObject({ version: 1 });
  });

  it('hands out distinct ids to concurrent callers', async () => {
    const manager = await ProducerIdManager.open({ dataDir, blockSize: 4 });
    const ids = await Promise.all(Array.from({ length: 50 }, () => manager.generateProducerId()));
    expect(new Set(ids).size).toBe(50);
  });

  it('gives a new producer id with epoch 0, and bumps the epoch when the current one is presented', async () => {
    const manager = await ProducerIdManager.open({ dataDir });
    const first = await manager.initProducerId();
    expect(first.producerEpoch).toBe(0);
    const second = await manager.initProducerId({ producerId: -1, producerEpoch: -1 });
    expect(second.producerId).not.toBe(first.producerId);

    const bumped = await manager.initProducerId({ producerId: first.producerId, producerEpoch: 0 });
    expect(bumped).toEqual({ producerId: first.producerId, producerEpoch: 1 });
    // A retry of the same bump (the response was lost) gets the same answer.
    expect(await manager.initProducerId({ producerId: first.producerId, producerEpoch: 0 })).toEqual(bumped);
    // Anything else is fenced.
    expect(await codeOf(manager.initProducerId({ producerId: first.producerId, producerEpoch: 5 }))).toBe(
      'INVALID_PRODUCER_EPOCH',
    );
    expect(await codeOf(manager.initProducerId({ producerId: first.producerId, producerEpoch: -1 }))).toBe(
      'INVALID_REQUEST',
    );
  });

  it('moves a producer to a new id when its epoch would overflow', async () => {
    const manager = await ProducerIdManager.open({ dataDir });
    let current = await manager.initProducerId();
    const original = current.producerId;
    // Walk the epoch up to the limit.
    while (current.producerEpoch < MAX_PRODUCER_EPOCH) current = await manager.initProducerId(current);
    expect(current).toEqual({ producerId: original, producerEpoch: MAX_PRODUCER_EPOCH });
    const next = await manager.initProducerId(current);
    expect(next.producerId).not.toBe(original);
    expect(next.producerEpoch).toBe(0);
    expect(await manager.initProducerId(current)).toEqual(next); // retried
  });

  it('gives a new id to a producer id it does not track', async () => {
    const manager = await ProducerIdManager.open({ dataDir });
    const result = await manager.initProducerId({ producerId: 123_456, producerEpoch: 3 });
    expect(result.producerEpoch).toBe(0);
    expect(result.producerId).not.toBe(123_456);
  });

  it('refuses to start on a corrupt block file rather than reuse ids', async () => {
    await writeFile(join(dataDir, PRODUCER_ID_BLOCK_FILE), '{"version":1,"nextProducerId":"x"}');
    expect(await codeOf(ProducerIdManager.open({ dataDir }))).toBe('KAFKA_STORAGE_ERROR');
  });
});
