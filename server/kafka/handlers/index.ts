/**
 * The Kafka APIs Sluice serves: one module per API (`<api-name>.ts`), listed here. ApiVersions
 * advertises exactly these, so adding a handler = writing its file and adding it to this list.
 */
import type { AnyApiHandler } from '../handler';
import { apiVersionsHandler } from './api-versions';
import { createPartitionsHandler } from './create-partitions';
import { createTopicsHandler } from './create-topics';
import { deleteRecordsHandler } from './delete-records';
import { deleteTopicsHandler } from './delete-topics';
import { describeConfigsHandler } from './describe-configs';
import { fetchHandler } from './fetch';
import { incrementalAlterConfigsHandler } from './incremental-alter-configs';
import { initProducerIdHandler } from './init-producer-id';
import { listOffsetsHandler } from './list-offsets';
import { metadataHandler } from './metadata';
import { produceHandler } from './produce';

export const KAFKA_HANDLERS: readonly AnyApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  apiVersionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  deleteRecordsHandler,
  initProducerIdHandler,
  describeConfigsHandler,
  createPartitionsHandler,
  incrementalAlterConfigsHandler,
];
