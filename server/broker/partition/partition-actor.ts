import type { ActorFactory } from '../actors';
import type { BrokerLogger } from '../broker-options';
import { BrokerError, isBrokerError } from '../errors';
import { BATCH, readBatchHeader, validateBatch, type BatchHeader } from '../log/batch-header';
import { Log } from '../log/log';
import type { LogConfig } from '../log/log-config';
import type { ProducerStateManager } from '../producers/producer-state-manager';
import type { PartitionHandle } from './partition-handle';
import { failed, ok, type AppendOutcome, type Outcome, type PartitionMessage } from './partition-protocol';
import { listOffset, logStatus } from './partition-queries';
import { ProducerSnapshots, recoverProducerState } from './partition-recovery';

/**
 * The partition actor (DESIGN "Actors and supervision"): the only owner of one partition's `Log`
 * and `ProducerStateManager`. Each incarnation opens the log in preStart (with recovery when the
 * previous stop was not clean) and rebuilds the producer state; postStop writes a producer
 * snapshot and closes the files. A restart is therefore "close, reopen, recover". When a message
 * outlived the stop timeout, the runtime runs postStop once it settles and starts the next
 * incarnation only after that: two Logs never own one directory.
 *
 * Appends are synchronous up to the page cache, so the actor's turn ends as soon as the batch is
 * in the file; the fsync the topic may ask for is awaited by the producer outside the turn.
 */
export interface PartitionActorDeps {
  readonly handle: PartitionHandle;
  /** The topic's current storage config (altered configs apply on the next open too). */
  readonly config: () => LogConfig;
  readonly clock: () => number;
  readonly logger: BrokerLogger;
  readonly maxOpenSegments: number;
  readonly maxLoadedIndexes: number;
}

const DONE: Promise<void> = Promise.resolve();

/** A failure of the request, not of the partition: answered, never supervised. */
function isRequestError(error: unknown): error is BrokerError {
  return isBrokerError(error) && error.code !== 'KAFKA_STORAGE_ERROR';
}

function attempt<T>(work: () => T): Outcome<T> {
  try {
    return ok(work());
  } catch (error) {
    if (isRequestError(error)) return failed(error);
    throw error;
  }
}

async function attemptAsync<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return ok(await work());
  } catch (error) {
    if (isRequestError(error)) return failed(error);
    throw error;
  }
}

function plainHeader(baseOffset: number, lastOffsetDelta: number) {
  return {
    baseOffset,
    lastOffsetDelta,
    producerId: -1,
    producerEpoch: -1,
    baseSequence: -1,
    maxTimestamp: -1,
    attributes: 0,
  };
}

export function partitionActor(deps: PartitionActorDeps): ActorFactory<PartitionMessage> {
  const { handle, clock } = deps;
  return (context) => {
    const incarnation = {};
    let log: Log | undefined;
    let producers: ProducerStateManager | undefined;
    const snapshots = new ProducerSnapshots(handle.dir);

    const opened = (): { log: Log; producers: ProducerStateManager } => {
      if (log === undefined || producers === undefined) {
        throw new BrokerError('KAFKA_STORAGE_ERROR', `The log of ${handle.name} is not open`);
      }
      return { log, producers };
    };

    const refresh = (l: Log): void => {
      handle.stats.logStartOffset = l.logStartOffset;
      handle.stats.logEndOffset = l.logEndOffset;
      handle.stats.sizeInBytes = l.sizeInBytes;
    };

    const logAppendTimeOf = (batch: Buffer): number =>
      deps.config().messageTimestampType === 'LogAppendTime'
        ? Number(batch.readBigInt64BE(BATCH.MAX_TIMESTAMP))
        : -1;

    /** Settles when `fsync` does; a failed fsync also makes the actor reopen its log with recovery. */
    const durableAfter = (fsync: Promise<unknown>): Promise<void> => {
      const durable = fsync.then(
        () => undefined,
        (error: unknown) => {
          // The batch is in the file but its fsync failed: reopen the log with recovery.
          try {
            context.self.tell({ type: 'storageFailed', error: error as Error, incarnation });
          } catch {
            // already stopping or restarting
          }
          throw handle.wrapError(error);
        },
      );
      durable.catch(() => undefined); // the producer awaits it; never an unhandled rejection
      return durable;
    };

    const append = (batch: Buffer): Outcome<AppendOutcome> | Promise<Outcome<AppendOutcome>> => {
      const { log: l, producers: p } = opened();
      let header: BatchHeader | undefined;
      // The high word of producerId is negative exactly when the id is -1: most batches skip this.
      if (batch.length >= BATCH.HEADER_SIZE && batch.readInt32BE(BATCH.PRODUCER_ID) >= 0) {
        try {
          header = readBatchHeader(batch);
          const check = p.checkAppend(header);
          if (check.duplicate !== null) {
            validateBatch(batch); // a damaged retry is refused as damaged, not acknowledged
            const original = check.duplicate;
            const config = deps.config();
            return ok({
              baseOffset: original.firstOffset,
              lastOffset: original.lastOffset,
              logAppendTime: config.messageTimestampType === 'LogAppendTime' ? original.timestamp : -1,
              logStartOffset: l.logStartOffset,
              recordCount: header.recordCount,
              duplicate: true,
              // The original may still be waiting for its fsync (a retry after a client timeout):
              // the retry is acknowledged no sooner than the original would be.
              durable: config.fsyncBeforeAck ? durableAfter(l.flush()) : DONE,
            });
          }
        } catch (error) {
          if (isRequestError(error)) return failed(error);
          throw error;
        }
      }
      const baseOffset = l.logEndOffset;
      const pending = l.append(batch);
      if (l.logEndOffset === baseOffset) {
        // Refused before anything was written: find out why (the promise is already rejected).
        return pending.then(
          () => failed(new BrokerError('KAFKA_STORAGE_ERROR', `Append to ${handle.name} wrote nothing`)),
          (error: unknown) => {
            if (isRequestError(error)) return failed(error);
            throw error;
          },
        );
      }
      const lastOffset = l.logEndOffset - 1;
      const logAppendTime = logAppendTimeOf(batch);
      if (header !== undefined && logAppendTime >= 0) header.maxTimestamp = logAppendTime;
      p.onAppended(header ?? plainHeader(baseOffset, lastOffset - baseOffset), baseOffset);
      const recordCount = batch.readInt32BE(BATCH.RECORD_COUNT);
      handle.stats.logEndOffset = lastOffset + 1;
      handle.stats.sizeInBytes = l.sizeInBytes;
      handle.appended(recordCount, batch.length);
      const durable = durableAfter(pending);
      return ok({
        baseOffset,
        lastOffset,
        logAppendTime,
        logStartOffset: l.logStartOffset,
        recordCount,
        duplicate: false,
        durable,
      });
    };

    return {
      preStart: async () => {
        const l = await Log.open(handle.dir, deps.config(), {
          clock,
          logger: deps.logger,
          faults: handle.faults,
          maxOpenSegments: deps.maxOpenSegments,
          maxLoadedIndexes: deps.maxLoadedIndexes,
        });
        try {
          producers = await recoverProducerState(l, handle.name, clock());
        } catch (error) {
          await l.close().catch(() => undefined);
          throw error;
        }
        log = l;
        refresh(l);
        handle.changed();
      },
      postStop: async (stop) => {
        const l = log;
        log = undefined;
        if (l === undefined) return;
        if (producers !== undefined) {
          await snapshots.write(producers).catch((error: unknown) => {
            deps.logger.warn({ partition: handle.name, err: String(error) }, 'Producer snapshot failed');
          });
        }
        // After an abandoned message (deleteRecords, purge, retention) settled: closed, but not
        // marked clean, since that work may have stopped half-way.
        await l.close({ clean: !stop.abandoned });
      },
      receive: {
        append: (msg) => append(msg.batch),
        read: (msg) =>
          attempt(() => ({
            ...opened().log.read(msg.offset, msg.maxBytes, { minOneBatch: msg.minOneBatch }),
            appendedBytes: handle.appendedBytes,
          })),
        listOffset: (msg) => attempt(() => listOffset(opened().log, msg.spec)),
        watermarks: () => {
          const l = opened().log;
          return { logStartOffset: l.logStartOffset, logEndOffset: l.logEndOffset };
        },
        status: () => {
          const { log: l, producers: p } = opened();
          return logStatus(l, p.producerCount);
        },
        deleteRecords: (msg) =>
          attemptAsync(async () => {
            const { log: l, producers: p } = opened();
            const start = await l.deleteRecordsBefore(msg.offset);
            p.truncateHead(start);
            refresh(l);
            handle.changed();
            return start;
          }),
        truncateFully: () =>
          attemptAsync(async () => {
            const { log: l, producers: p } = opened();
            await l.truncateFully();
            p.reset(l.logEndOffset);
            refresh(l);
            handle.changed();
            await snapshots.write(p).catch(() => undefined);
            return l.logStartOffset;
          }),
        updateConfig: () => attempt(() => opened().log.updateConfig(deps.config())),
        enforceRetention: async (msg) => {
          const { log: l, producers: p } = opened();
          const result = await l.enforceRetention(msg.now);
          if (result.deletedSegments > 0) {
            p.truncateHead(l.logStartOffset);
            refresh(l);
            handle.changed();
          }
          return result;
        },
        compact: (msg) => {
          const l = opened().log;
          const done = l.compact(msg.now).then((result) => {
            if (log === l) refresh(l);
            return result;
          });
          done.catch(() => undefined);
          return { done };
        },
        maintainProducers: (msg) => {
          const p = opened().producers;
          p.removeExpiredProducers(msg.now);
          const done = snapshots.write(p);
          done.catch(() => undefined);
          return { done };
        },
        storageFailed: (msg) => {
          if (msg.incarnation !== incarnation) return;
          throw msg.error instanceof Error ? msg.error : new Error(String(msg.error));
        },
      },
    };
  };
}
