import type { ActorSystem, Supervisor } from './actors';
import type { ResolvedBrokerOptions } from './broker-options';
import type { MetricsRegistry } from './metrics/metrics-registry';
import type { TopicStore } from './topics/topic-store';
import type { TopicRegistry } from './topic-manager/topic-registry';

/** What the broker's services share once the broker has started. */
export interface BrokerContext {
  readonly options: ResolvedBrokerOptions;
  readonly store: TopicStore;
  readonly registry: TopicRegistry;
  readonly metrics: MetricsRegistry;
  readonly system: ActorSystem;
  readonly topicsSupervisor: Supervisor;
  /** True once stop() began: long polls return at once, new requests are refused. */
  readonly stopping: () => boolean;
}

/** Runs async operations one at a time, in call order (topic admin: no interleaved create/delete). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
