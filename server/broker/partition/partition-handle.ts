import type { ActorRef, ActorState } from '../actors';
import { BrokerError, isBrokerError } from '../errors';
import { DiskFaultInjector } from '../log/disk-faults';
import type { PartitionMetrics } from '../metrics/metrics-registry';
import type { PartitionMessage } from './partition-protocol';

/** Called after each append with its size in bytes, or with Infinity when the log changed otherwise. */
export type AppendListener = (bytes: number) => void;

export interface PartitionStats {
  logStartOffset: number;
  logEndOffset: number;
  sizeInBytes: number;
}

/**
 * What the broker holds for one partition, across the restarts of its actor: the actor's ref, its
 * fault injector (so "fail the next N writes" outlives a restart), its metric handles, the
 * last known watermarks (gauges and listings read them without a round trip to the actor), the
 * state of the actor as the supervision events report it, and the listeners that long-polling
 * fetches register to be woken by appends.
 */
export class PartitionHandle {
  readonly name: string;
  readonly path: string;
  readonly faults = new DiskFaultInjector();
  readonly stats: PartitionStats = { logStartOffset: 0, logEndOffset: 0, sizeInBytes: 0 };
  state: ActorState = 'starting';
  private readonly listeners = new Set<AppendListener>();
  private actorRef: ActorRef<PartitionMessage> | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly dir: string,
    topicPath: string,
    readonly metrics: PartitionMetrics,
  ) {
    this.name = `${topic}-${partition}`;
    this.path = `${topicPath}/${partition}`;
  }

  get ref(): ActorRef<PartitionMessage> {
    if (this.actorRef === undefined)
      throw new BrokerError('BROKER_NOT_AVAILABLE', `${this.name} has no actor`);
    return this.actorRef;
  }

  attach(ref: ActorRef<PartitionMessage>): void {
    this.actorRef = ref;
  }

  get offline(): boolean {
    return this.state === 'offline' || this.state === 'stopped';
  }

  /** Bytes appended since the broker started (never reset): a long poll's baseline. */
  get appendedBytes(): number {
    return this.metrics.flow.bytesIn.count;
  }

  /** Registers a fetch waiting for data; returns its removal. */
  listen(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** From the actor, synchronously after an append reached the log. */
  appended(records: number, bytes: number): void {
    this.metrics.flow.onAppend(records, bytes);
    if (this.listeners.size > 0) for (const listener of [...this.listeners]) listener(bytes);
  }

  /** Truncation, deletion, restart, offline: waiting fetches must look again. */
  changed(): void {
    if (this.listeners.size > 0) for (const listener of [...this.listeners]) listener(Infinity);
  }

  /**
   * The error a caller gets when an ask fails outside the handler's own answers: the actor's
   * unavailable error, OVERLOADED and timeouts pass through; anything else (an injected crash, a
   * bug) was a failure of the actor, which is being restarted: retriable storage error.
   */
  wrapError(error: unknown): BrokerError {
    if (isBrokerError(error)) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new BrokerError(
      'KAFKA_STORAGE_ERROR',
      `${this.name} failed while handling the request (${reason}); it is being restarted, try again`,
      { cause: error },
    );
  }
}
