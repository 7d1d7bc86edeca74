import type { Broker } from '../../broker/broker';
import { isBrokerError } from '../../broker/errors';
import { Workload, type ConsumerGroupStatus, type WorkloadOptions } from '../../broker/client/workload';
import { ClusterError } from '../cluster';
import type * as T from '../types';
import { guard, type FieldRules } from './errors';

/**
 * The demo workload over the broker's in-process client: producers at a rate and size, consumer
 * groups whose members join and leave through the same group coordinator as Kafka clients (each
 * change a rebalance). It stops with the broker.
 */

/** The runner says "No workload producer 'x'", "already running": the console's NOT_FOUND and ALREADY_EXISTS. */
function translate(error: unknown, field: string): never {
  if (isBrokerError(error, 'INVALID_REQUEST')) {
    if (/^No workload|has no member/.test(error.message)) {
      throw new ClusterError('NOT_FOUND', error.message, { field, cause: error });
    }
    if (/already running/.test(error.message)) {
      throw new ClusterError('ALREADY_EXISTS', error.message, { field, cause: error });
    }
  }
  throw error;
}

const START_FIELDS: FieldRules = {
  UNKNOWN_TOPIC_OR_PARTITION: 'topic',
  INVALID_REQUEST: (m) =>
    /ratePerSec/.test(m)
      ? 'ratePerSec'
      : /recordBytes/.test(m)
        ? 'recordBytes'
        : /members/.test(m)
          ? 'members'
          : undefined,
};

function toConsumerWorkload(status: ConsumerGroupStatus): T.ConsumerWorkload {
  return {
    groupId: status.groupId,
    topic: status.topic,
    // A member has no member id until its first join completes: its client id names it until then.
    members: status.members.map((m) => ({ memberId: m.memberId || m.clientId, consumed: m.consumed })),
    consumed: status.consumed,
  };
}

export class EmbeddedWorkload {
  private readonly workload: Workload;

  constructor(broker: Broker, options: WorkloadOptions = {}) {
    this.workload = new Workload(broker, options);
  }

  async status(): Promise<T.WorkloadStatus> {
    const status = await guard(() => this.workload.status());
    return {
      producers: status.producers.map((p) => ({ ...p })),
      consumerGroups: status.consumerGroups.map(toConsumerWorkload),
    };
  }

  startProducer(request: T.StartProducerRequest): Promise<T.ProducerWorkload> {
    return guard(() => ({ ...this.workload.startProducer(request) }), START_FIELDS);
  }

  stopProducer(id: string): Promise<void> {
    return guard(() => this.workload.stopProducer(id).catch((e: unknown) => translate(e, 'id')));
  }

  startConsumerGroup(request: T.StartConsumerGroupRequest): Promise<T.ConsumerWorkload> {
    return guard(() => {
      try {
        return toConsumerWorkload(this.workload.startConsumerGroup(request));
      } catch (error) {
        return translate(error, 'groupId');
      }
    }, START_FIELDS);
  }

  addConsumer(groupId: string): Promise<T.ConsumerWorkload> {
    return guard(() => toConsumerWorkload(this.workload.addMember(groupId)), {
      GROUP_ID_NOT_FOUND: 'groupId',
    });
  }

  removeConsumer(groupId: string, memberId?: string): Promise<T.ConsumerWorkload> {
    return guard(
      async () =>
        toConsumerWorkload(
          await this.workload.removeMember(groupId, memberId).catch((e: unknown) => translate(e, 'memberId')),
        ),
      { GROUP_ID_NOT_FOUND: 'groupId' },
    );
  }

  stopConsumerGroup(groupId: string): Promise<void> {
    return guard(() => this.workload.stopConsumerGroup(groupId), { GROUP_ID_NOT_FOUND: 'groupId' });
  }

  stop(): Promise<void> {
    return this.workload.stop();
  }
}
