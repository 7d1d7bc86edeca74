/**
 * Broker services for a Kafka door that has no broker core behind it yet (the process wiring
 * before the core is assembled, and tests of the connection layer): no topics, and everything
 * else fails with a retriable BROKER_NOT_AVAILABLE.
 */
import { BrokerError } from '../broker/errors';
import type { KafkaBrokerServices } from './handler';

function unavailable(what: string): BrokerError {
  return new BrokerError('BROKER_NOT_AVAILABLE', `Cannot ${what}: no broker core is running`);
}

const reject = (what: string) => () => Promise.reject(unavailable(what));

export const UNWIRED_BROKER: KafkaBrokerServices = {
  options: { topicDefaults: {} },
  listTopics: () => [],
  partitionCount: () => undefined,
  createTopic: (name) => Promise.reject(unavailable(`create topic '${name}'`)),
  validateCreateTopic: (name) => {
    throw unavailable(`create topic '${name}'`);
  },
  deleteTopic: reject('delete a topic'),
  addPartitions: reject('add partitions'),
  describeTopicConfigs: () => {
    throw unavailable('describe configs');
  },
  alterTopicConfigs: reject('alter configs'),
  deleteRecords: reject('delete records'),
  produce: reject('produce'),
  fetch: reject('fetch'),
  listOffsets: reject('list offsets'),
  initProducerId: reject('allocate a producer id'),
  groups: { findCoordinator: () => ({ error: unavailable('find a group coordinator') }) },
  joinGroup: reject('join a group'),
  syncGroup: reject('sync a group'),
  heartbeat: reject('heartbeat'),
  leaveGroup: reject('leave a group'),
  describeGroups: reject('describe groups'),
  listGroups: () => {
    throw unavailable('list groups');
  },
  deleteGroups: reject('delete groups'),
  commitOffsets: reject('commit offsets'),
  fetchOffsets: reject('fetch offsets'),
  deleteOffsets: reject('delete offsets'),
};
