import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrokerError, storageError } from '../errors';
import { writeFileAtomic } from '../atomic-file';

/**
 * Allocates producer ids and serves InitProducerId, after Kafka's ProducerIdManager and the
 * InitProducerId part of its TransactionCoordinator (non-transactional producers only).
 *
 * Ids are never reused, even across restarts: ids are handed out from blocks reserved in a small
 * file (`producer-id-block.json`, holding the first id not yet reserved) that is rewritten
 * atomically *before* any id of a new block is given out. A crash loses at most the unused rest of
 * a block. The next block is reserved in the background when the current one is 90% used.
 *
 * InitProducerId:
 * - without a (producerId, epoch): a new id with epoch 0;
 * - with one (KIP-360, InitProducerId v3+): if it is the producer's current epoch, the epoch is
 *   bumped (at 32767 the producer gets a new id with epoch 0 instead); if it is the epoch just
 *   bumped from, the request is a retry and gets the same answer; any other epoch is fenced with
 *   INVALID_PRODUCER_EPOCH. An id this broker does not track (allocated before a restart, evicted, or
 *   from another cluster) gets a new id, as Kafka does for every non-transactional producer: no
 *   other producer can hold the same id, so there is nothing to fence.
 * Epochs are tracked in memory only, for the most recent `maxTrackedProducers` ids.
 */

export const PRODUCER_ID_BLOCK_FILE = 'producer-id-block.json';
export const DEFAULT_PRODUCER_ID_BLOCK_SIZE = 1000;
export const MAX_PRODUCER_EPOCH = 32767;
const DEFAULT_MAX_TRACKED = 100_000;

export interface ProducerIdAndEpoch {
  producerId: number;
  producerEpoch: number;
}

export interface InitProducerIdRequest {
  /** -1 or absent: a new producer. */
  producerId?: number;
  producerEpoch?: number;
}

export interface ProducerIdManagerOptions {
  dataDir: string;
  blockSize?: number;
  maxTrackedProducers?: number;
}

interface TrackedProducer {
  epoch: number;
  /** Set once the epoch overflowed and the producer moved to a new id. */
  retired: boolean;
  /** The answer to the last bump, returned again when the client retries it. */
  lastBump?: { fromEpoch: number; result: Promise<ProducerIdAndEpoch> };
}

interface BlockFile {
  version: 1;
  nextProducerId: number;
}

export class ProducerIdManager {
  private readonly path: string;
  private readonly blockSize: number;
  private readonly maxTracked: number;
  private next: number;
  /** Ids below it are reserved on disk and may be handed out. */
  private reservedUpTo: number;
  private reserving: Promise<void> | null = null;
  private readonly tracked = new Map<number, TrackedProducer>();

  private constructor(path: string, next: number, blockSize: number, maxTracked: number) {
    this.path = path;
    this.next = next;
    this.reservedUpTo = next;
    this.blockSize = blockSize;
    this.maxTracked = maxTracked;
  }

  static async open(options: ProducerIdManagerOptions): Promise<ProducerIdManager> {
    const blockSize = options.blockSize ?? DEFAULT_PRODUCER_ID_BLOCK_SIZE;
    if (!Number.isInteger(blockSize) || blockSize < 1) {
      throw new BrokerError(
        'INVALID_CONFIG',
        `Producer id block size must be a positive integer, got ${blockSize}`,
      );
    }
    try {
      await mkdir(options.dataDir, { recursive: true });
    } catch (error) {
      throw storageError(`Could not create data directory ${options.dataDir}`, error);
    }
    const path = join(options.dataDir, PRODUCER_ID_BLOCK_FILE);
    const next = await readBlockFile(path);
    const manager = new ProducerIdManager(
      path,
      next,
      blockSize,
      options.maxTrackedProducers ?? DEFAULT_MAX_TRACKED,
    );
    await manager.reserveBlock();
    return manager;
  }

  /** The next id to be handed out (for tests and the console). */
  get nextProducerId(): number {
    return this.next;
  }

  /** Waits for a background reservation, so that the file is not being written at exit. */
  async close(): Promise<void> {
    await this.reserving?.catch(() => undefined);
  }

  async generateProducerId(): Promise<number> {
    while (this.next >= this.reservedUpTo) await this.reserveBlock();
    const id = this.next;
    this.next += 1;
    if (this.reservedUpTo - this.next <= this.blockSize / 10 && this.reserving === null) {
      // Prefetch; a failure here resurfaces when the block is actually needed.
      this.reserveBlock().catch(() => undefined);
    }
    return id;
  }

  async initProducerId(request: InitProducerIdRequest = {}): Promise<ProducerIdAndEpoch> {
    const producerId = request.producerId ?? -1;
    const epoch = request.producerEpoch ?? -1;
    if (producerId === -1 && epoch === -1) return this.newProducer();
    if (!Number.isInteger(producerId) || !Number.isInteger(epoch) || producerId < 0 || epoch < 0) {
      throw new BrokerError(
        'INVALID_REQUEST',
        `producerId and producerEpoch must both be -1 or both be valid, got ${producerId} and ${epoch}`,
      );
    }
    if (epoch > MAX_PRODUCER_EPOCH) {
      throw new BrokerError('INVALID_REQUEST', `producerEpoch ${epoch} exceeds ${MAX_PRODUCER_EPOCH}`);
    }
    const tracked = this.tracked.get(producerId);
    if (!tracked) return this.newProducer();
    this.touch(producerId, tracked);
    if (tracked.lastBump?.fromEpoch === epoch) return tracked.lastBump.result;
    if (tracked.retired || tracked.epoch !== epoch) {
      throw new BrokerError(
        'INVALID_PRODUCER_EPOCH',
        `Producer ${producerId} is at epoch ${tracked.retired ? 'retired' : tracked.epoch}; ` +
          `epoch ${epoch} has been fenced`,
      );
    }
    if (epoch === MAX_PRODUCER_EPOCH) {
      // Overflow: the producer continues under a new id. Recorded before awaiting so that a
      // concurrent retry gets the same new id.
      tracked.retired = true;
      tracked.lastBump = { fromEpoch: epoch, result: this.newProducer() };
      return tracked.lastBump.result;
    }
    const result = { producerId, producerEpoch: epoch + 1 };
    tracked.epoch = epoch + 1;
    tracked.lastBump = { fromEpoch: epoch, result: Promise.resolve(result) };
    return result;
  }

  private async newProducer(): Promise<ProducerIdAndEpoch> {
    const producerId = await this.generateProducerId();
    this.touch(producerId, { epoch: 0, retired: false });
    return { producerId, producerEpoch: 0 };
  }

  /** Map order is recency: re-insert on use, evict the oldest past the cap. */
  private touch(producerId: number, entry: TrackedProducer): void {
    this.tracked.delete(producerId);
    this.tracked.set(producerId, entry);
    if (this.tracked.size > this.maxTracked) {
      const oldest = this.tracked.keys().next();
      if (!oldest.done) this.tracked.delete(oldest.value);
    }
  }

  private reserveBlock(): Promise<void> {
    this.reserving ??= (async () => {
      const upTo = this.reservedUpTo + this.blockSize;
      const content: BlockFile = { version: 1, nextProducerId: upTo };
      try {
        await writeFileAtomic(this.path, `${JSON.stringify(content)}\n`);
      } catch (error) {
        throw storageError(`Could not reserve producer ids in ${this.path}`, error);
      }
      this.reservedUpTo = upTo;
    })().finally(() => {
      this.reserving = null;
    });
    return this.reserving;
  }
}

async function readBlockFile(path: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw storageError(`Could not read ${path}`, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isBlockFile(parsed)) return parsed.nextProducerId;
  // Starting over at 0 could hand out ids that live producers still use: refuse instead.
  throw new BrokerError(
    'KAFKA_STORAGE_ERROR',
    `Producer id block file ${path} is corrupt (expected {"version":1,"nextProducerId":<integer>}); ` +
      `fix it with an id above any in use, or delete it only together with all topic data`,
  );
}

function isBlockFile(value: unknown): value is BlockFile {
  if (typeof value !== 'object' || value === null) return false;
  const { version, nextProducerId } = value as Record<string, unknown>;
  return (
    version === 1 &&
    typeof nextProducerId === 'number' &&
    Number.isSafeInteger(nextProducerId) &&
    nextProducerId >= 0
  );
}
