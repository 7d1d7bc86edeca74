import { BrokerError } from '../errors';
import { partitionForKey } from './murmur2';

/**
 * Kafka's DefaultPartitioner with its StickyPartitionCache (KIP-480): a keyed record goes to
 * murmur2(key) mod partition count; records without a key all go to one randomly chosen
 * partition, per topic, until the batch for it is complete (`onNewBatch`), then to another one.
 * Sticking fills batches sooner than round robin, which is why Kafka adopted it.
 */
export interface DefaultPartitionerOptions {
  /** A number in [0, 1), like Math.random; tests pass a seeded one. */
  random?: () => number;
}

export class DefaultPartitioner {
  private readonly sticky = new Map<string, number>();
  private readonly random: () => number;

  constructor(options: DefaultPartitionerOptions = {}) {
    this.random = options.random ?? Math.random;
  }

  /**
   * The partition for a record of `topic`. `available` lists partitions that can take writes now
   * (all of them in a single broker, unless some are offline); the sticky choice prefers those,
   * keyed records ignore it as Kafka does, so a key's partition never moves.
   */
  partition(
    topic: string,
    key: Uint8Array | null | undefined,
    numPartitions: number,
    available?: readonly number[],
  ): number {
    checkCount(topic, numPartitions);
    if (key !== null && key !== undefined) return partitionForKey(key, numPartitions);
    const current = this.sticky.get(topic);
    if (current !== undefined && current < numPartitions) return current;
    return this.next(topic, numPartitions, available, current);
  }

  /**
   * Called when the batch for `prevPartition` is complete: keyless records move to another
   * partition. Only the first call for a given batch changes the choice.
   */
  onNewBatch(
    topic: string,
    numPartitions: number,
    prevPartition: number,
    available?: readonly number[],
  ): void {
    checkCount(topic, numPartitions);
    const current = this.sticky.get(topic);
    if (current === undefined || current === prevPartition) {
      this.next(topic, numPartitions, available, prevPartition);
    }
  }

  /** The current sticky partition of `topic`, if one was chosen. */
  stickyPartition(topic: string): number | undefined {
    return this.sticky.get(topic);
  }

  private next(
    topic: string,
    numPartitions: number,
    available: readonly number[] | undefined,
    avoid?: number,
  ): number {
    const candidates = (available ?? []).filter((p) => Number.isInteger(p) && p >= 0 && p < numPartitions);
    let chosen: number;
    if (candidates.length === 1) {
      chosen = candidates[0] ?? 0;
    } else if (candidates.length > 1) {
      chosen = this.pickOther(candidates, avoid);
    } else if (avoid !== undefined && avoid >= 0 && avoid < numPartitions && numPartitions > 1) {
      // Uniform over the other n-1 partitions without building a list of them.
      const r = this.randomIndex(numPartitions - 1);
      chosen = r >= avoid ? r + 1 : r;
    } else {
      chosen = this.randomIndex(numPartitions);
    }
    this.sticky.set(topic, chosen);
    return chosen;
  }

  /** A random element of `from`, other than `avoid` when there is a choice. */
  private pickOther(from: readonly number[], avoid: number | undefined): number {
    const pool = from.length > 1 && avoid !== undefined ? from.filter((p) => p !== avoid) : from;
    return pool[this.randomIndex(pool.length)] ?? 0;
  }

  private randomIndex(n: number): number {
    return Math.min(n - 1, Math.floor(this.random() * n));
  }
}

function checkCount(topic: string, numPartitions: number): void {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new BrokerError(
      'INVALID_PARTITIONS',
      `Cannot choose a partition of topic '${topic}': it has ${String(numPartitions)} partitions`,
    );
  }
}
