import type { ActorSystem, CrashMode, Scheduler, TimerHandle } from './actors';
import { BrokerError } from './errors';
import type { PartitionHandle } from './partition/partition-handle';
import { parsePartitionPath } from './supervision/broker-supervision';

/**
 * Fault injection for operators and tests (DESIGN "Actors and supervision"), only when the broker
 * was started with `faultInjection: true`; otherwise every call is refused with a typed error.
 * Crashes and delays go to the actor runtime; failed writes to the partition's DiskFaults, which
 * outlive its restarts, so "fail the next 3 writes" means three failed appends and three restarts.
 */
export interface CrashOptions {
  /** `now` (default) fails the actor at once; `next-message` fails its next message instead. */
  mode?: CrashMode;
  message?: string;
}

export class FaultInjection {
  private readonly delayTimers = new Map<string, TimerHandle>();

  constructor(
    readonly enabled: boolean,
    private readonly system: ActorSystem,
    private readonly scheduler: Scheduler,
    private readonly partitionAt: (path: string) => PartitionHandle | undefined,
  ) {}

  private check(path: string): void {
    if (!this.enabled) {
      throw new BrokerError(
        'POLICY_VIOLATION',
        'Fault injection is disabled on this broker; start it with fault injection enabled (dev and demo only)',
      );
    }
    if (typeof path !== 'string' || !this.system.has(path)) {
      throw new BrokerError('INVALID_REQUEST', `No actor at ${String(path)}`);
    }
  }

  crash(path: string, options: CrashOptions = {}): void {
    this.check(path);
    const mode = options.mode ?? 'now';
    this.system.injectCrash(path, { mode, error: options.message ?? `Injected crash at ${path}` });
  }

  /** The next `count` disk writes of the partition at `path` fail as a full disk would (ENOSPC). */
  failWrites(path: string, count: number): void {
    this.check(path);
    const handle = this.partitionAt(path);
    if (handle === undefined) {
      const parsed = parsePartitionPath(path);
      throw new BrokerError(
        'INVALID_REQUEST',
        parsed === undefined
          ? `${path} is not a partition: only partitions write to disk`
          : `No partition at ${path}`,
      );
    }
    if (!Number.isInteger(count) || count < 0 || count > 1_000_000) {
      throw new BrokerError(
        'INVALID_REQUEST',
        `The number of writes to fail must be an integer from 0 to 1000000`,
      );
    }
    handle.faults.failNextWrites(count);
    this.system.events.publish(path, 'actor', {
      type: 'fault-injected',
      fault: 'fail-writes',
      detail: `next ${count} disk writes fail`,
    });
  }

  /** Each message of the actor waits `delayMs` first; for `durationMs` when given, else until cleared. */
  delay(path: string, delayMs: number, durationMs?: number): void {
    this.check(path);
    if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 600_000) {
      throw new BrokerError(
        'INVALID_REQUEST',
        `delayMs must be an integer from 0 to 600000, got ${String(delayMs)}`,
      );
    }
    this.system.injectDelay(path, delayMs);
    this.cancelDelayTimer(path);
    if (durationMs !== undefined) {
      if (!Number.isInteger(durationMs) || durationMs <= 0) {
        throw new BrokerError(
          'INVALID_REQUEST',
          `durationMs must be a positive integer, got ${String(durationMs)}`,
        );
      }
      const timer = this.scheduler.setTimeout(
        (p: string) => {
          this.delayTimers.delete(p);
          if (this.system.has(p)) this.system.injectDelay(p, 0);
        },
        durationMs,
        path,
      );
      this.delayTimers.set(path, timer);
    }
  }

  /** Removes a pending crash, a delay and failing writes. */
  clear(path: string): void {
    this.check(path);
    this.cancelDelayTimer(path);
    this.partitionAt(path)?.faults.failNextWrites(0);
    this.system.clearFaults(path);
  }

  dispose(): void {
    for (const path of [...this.delayTimers.keys()]) this.cancelDelayTimer(path);
  }

  private cancelDelayTimer(path: string): void {
    const timer = this.delayTimers.get(path);
    if (timer === undefined) return;
    this.scheduler.clearTimeout(timer);
    this.delayTimers.delete(path);
  }
}
