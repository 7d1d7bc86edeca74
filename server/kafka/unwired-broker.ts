/**
 * Broker services for a Kafka door that has no broker core behind it yet (the process wiring
 * before the core is assembled, and tests of the connection layer): no topics, and creating one
 * fails with a retriable BROKER_NOT_AVAILABLE.
 */
import { BrokerError } from '../broker/errors';
import type { KafkaBrokerServices } from './handler';

export const UNWIRED_BROKER: KafkaBrokerServices = {
  listTopics: () => [],
  partitionCount: () => undefined,
  createTopic: (name) =>
    Promise.reject(
      new BrokerError('BROKER_NOT_AVAILABLE', `Cannot create topic '${name}': no broker core is running`),
    ),
};
