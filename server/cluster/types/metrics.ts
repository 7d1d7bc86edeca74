import type { EpochMillis } from './common';
import type { Rates } from './topics';

/** Throughput, lag and Kafka request rates: history and the live stream. */

export type MetricsScope =
  | { kind: 'broker' }
  | { kind: 'topic'; topic: string }
  | { kind: 'partition'; topic: string; partition: number }
  | { kind: 'group'; groupId: string }
  /** The Kafka door: connected clients and requests per second by API. */
  | { kind: 'kafka' };

export interface ThroughputPoint extends Rates {
  t: EpochMillis;
}

export interface LagPoint {
  t: EpochMillis;
  lag: number;
}

export interface MetricsHistoryRequest {
  scope: MetricsScope;
  from: EpochMillis;
  to: EpochMillis;
  /** Bucket width: each point is the mean of the one-second samples in its bucket. */
  stepMs: number;
}

/** The Kafka door at one time: its open client connections and its request rates. */
export interface KafkaRates {
  /** Client connections open on the Kafka listener. */
  connections: number;
  /** Requests per second, all APIs together. */
  requestsPerSec: number;
  /** Requests per second by API name ("Produce", "Metadata"...), busiest first; idle APIs left out. */
  byApi: { api: string; perSec: number }[];
}

export interface KafkaPoint extends KafkaRates {
  t: EpochMillis;
}

export interface MetricsHistory {
  scope: MetricsScope;
  stepMs: number;
  /** Throughput of the scope (a group's scope: of the topics it consumes); empty for the Kafka scope. */
  throughput: ThroughputPoint[];
  /** A group's total lag; empty for other scopes. */
  lag: LagPoint[];
  /** The Kafka door's connections and request rates; empty for other scopes. */
  kafka: KafkaPoint[];
}

export interface MetricsStreamRequest {
  /** Topics whose per-partition rates each tick carries (all topics' totals always come). */
  partitionsOf: string[];
  /** Resume after this tick id (a reconnect); absent: start with the next tick. */
  afterId?: number;
}

/** One second of the whole cluster, multiplexed into one stream for the browser. */
export interface MetricsTick {
  /** Monotonically increasing. */
  id: number;
  t: EpochMillis;
  broker: Rates;
  topics: { topic: string; rates: Rates }[];
  partitions: { topic: string; partition: number; rates: Rates }[];
  groups: { groupId: string; lag: number }[];
  kafka: KafkaRates;
}
