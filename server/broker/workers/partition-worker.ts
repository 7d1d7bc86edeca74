import type { ActorFactory, Replies } from '../actors';
import type { BrokerLogger } from '../broker-options';
import type { PartitionHandle } from '../partition/partition-handle';

/**
 * A background worker that visits partitions on a schedule (Kafka's retention check and
 * LogCleaner threads, as supervised actors): a fixed-delay timer sends `tick`; `run` does a pass
 * now and answers with its summary. A pass visits one partition at a time, so the workers never
 * flood the partitions' mailboxes; an offline partition is skipped, a failing one is logged.
 */
export type WorkerMessage = { type: 'tick' } | ({ type: 'run' } & Replies<WorkerPassSummary>);

export interface WorkerPassSummary {
  visited: number;
  failed: number;
  /** Worker specific: segments deleted, bytes freed, records removed by compaction... */
  totals: Record<string, number>;
}

export interface PartitionWorkerDeps {
  readonly name: string;
  readonly intervalMs: number;
  readonly partitions: () => Iterable<PartitionHandle>;
  readonly logger: BrokerLogger;
  /** Does the work on one partition; returns figures to add to the pass totals. */
  readonly visit: (handle: PartitionHandle) => Promise<Record<string, number> | null>;
}

export function partitionWorker(deps: PartitionWorkerDeps): ActorFactory<WorkerMessage> {
  return (context) => {
    const pass = async (): Promise<WorkerPassSummary> => {
      const summary: WorkerPassSummary = { visited: 0, failed: 0, totals: {} };
      for (const handle of [...deps.partitions()]) {
        if (handle.offline) continue;
        try {
          const figures = await deps.visit(handle);
          if (figures === null) continue;
          summary.visited++;
          for (const [key, value] of Object.entries(figures))
            summary.totals[key] = (summary.totals[key] ?? 0) + value;
        } catch (error) {
          summary.failed++;
          deps.logger.warn(
            { worker: deps.name, partition: handle.name, err: String(error) },
            `${deps.name} failed on a partition`,
          );
        }
      }
      return summary;
    };
    return {
      preStart: () => context.timers.startTimerWithFixedDelay('pass', { type: 'tick' }, deps.intervalMs),
      receive: {
        tick: async () => {
          await pass();
        },
        run: () => pass(),
      },
    };
  };
}
