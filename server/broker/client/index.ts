export * from './assignors';
export {
  InProcessConsumer,
  type AssignorName,
  type BatchHandler,
  type ConsumedBatch,
  type ConsumerBroker,
  type ConsumerStats,
  type InProcessConsumerOptions,
} from './in-process-consumer';
export { InProcessProducer, type InProcessProducerOptions, type ProducerBroker } from './in-process-producer';
export * from './workload';
