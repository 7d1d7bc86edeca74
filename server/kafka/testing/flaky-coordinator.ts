/**
 * Test support: a broker whose group coordinator first answers every kind of group request with
 * a retriable error, as Kafka's does while `__consumer_offsets` loads (NOT_COORDINATOR,
 * COORDINATOR_LOAD_IN_PROGRESS) or moves (COORDINATOR_NOT_AVAILABLE), to see real clients retry
 * through the door and then join, commit and fetch offsets as usual.
 */
import type { Broker } from '../../broker/broker';
import { BrokerError, type BrokerErrorCode } from '../../broker/errors';
import type { KafkaBrokerServices } from '../handler';

export interface FlakyCounts {
  /** Refusals sent so far, by method. */
  readonly refused: Map<string, number>;
}

/** `wrap` for startBrokerListener: the first `times` calls of each group method are refused with `code`. */
export function flakyCoordinator(
  times: number,
  code: BrokerErrorCode,
  counts: FlakyCounts,
): (broker: Broker) => KafkaBrokerServices {
  const error = () => new BrokerError(code, `Group coordinator refusing (test): ${code}`);
  const refuse = (method: string): boolean => {
    const n = counts.refused.get(method) ?? 0;
    if (n >= times) return false;
    counts.refused.set(method, n + 1);
    return true;
  };
  return (broker) => ({
    options: broker.options,
    listTopics: (o) => broker.listTopics(o),
    partitionCount: (n) => broker.partitionCount(n),
    createTopic: (n, r) => broker.createTopic(n, r),
    validateCreateTopic: (n, r) => broker.validateCreateTopic(n, r),
    deleteTopic: (n) => broker.deleteTopic(n),
    addPartitions: (n, t) => broker.addPartitions(n, t),
    describeTopicConfigs: (n) => broker.describeTopicConfigs(n),
    alterTopicConfigs: (n, r) => broker.alterTopicConfigs(n, r),
    deleteRecords: (n, o) => broker.deleteRecords(n, o),
    produce: (t, p, b, o) => broker.produce(t, p, b, o),
    fetch: (r) => broker.fetch(r),
    listOffsets: (t, p, s) => broker.listOffsets(t, p, s),
    initProducerId: (r) => broker.initProducerId(r),
    groups: {
      findCoordinator: (g) =>
        refuse('findCoordinator')
          ? { error: new BrokerError('COORDINATOR_NOT_AVAILABLE', 'Group coordinator moving (test)') }
          : broker.groups.findCoordinator(g),
    },
    joinGroup: async (g, r) =>
      refuse('joinGroup')
        ? {
            error: error(),
            generationId: -1,
            protocolType: null,
            protocolName: null,
            leader: '',
            memberId: r.memberId,
            members: [],
            skipAssignment: false,
          }
        : broker.joinGroup(g, r),
    syncGroup: async (g, r) =>
      refuse('syncGroup')
        ? { error: error(), protocolType: null, protocolName: null, assignment: Buffer.alloc(0) }
        : broker.syncGroup(g, r),
    heartbeat: async (g, r) => (refuse('heartbeat') ? { error: error() } : broker.heartbeat(g, r)),
    leaveGroup: (g, m) => broker.leaveGroup(g, m),
    describeGroups: (g) => broker.describeGroups(g),
    listGroups: (o) => broker.listGroups(o),
    deleteGroups: (g) => broker.deleteGroups(g),
    commitOffsets: async (g, m, gen, i, o) =>
      refuse('commitOffsets')
        ? o.map((p) => ({ topic: p.topic, partition: p.partition, error: error() }))
        : broker.commitOffsets(g, m, gen, i, o),
    fetchOffsets: async (g, t) =>
      refuse('fetchOffsets') ? { error: error(), topics: [] } : broker.fetchOffsets(g, t),
    deleteOffsets: (g, p) => broker.deleteOffsets(g, p),
  });
}
