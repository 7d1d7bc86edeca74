/**
 * The data that crosses the `Cluster` interface (see cluster.ts): plain, JSON-serialisable values
 * only, so that tRPC can ship them to the browser as they are and a second implementation over a
 * Kafka client can produce them too. No Buffers: bytes travel as text or base64 with their size;
 * offsets and timestamps are JS numbers (offsets stay far below 2^53 on one machine).
 */

export * from './types/common';
export * from './types/info';
export * from './types/topics';
export * from './types/messages';
export * from './types/groups';
export * from './types/metrics';
export * from './types/supervision';
export * from './types/workload';
