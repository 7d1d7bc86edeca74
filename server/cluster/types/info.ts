import type { EpochMillis } from './common';

/** The cluster itself: what it is, where it listens, what it can do. */

export interface ClusterListener {
  name: string;
  protocol: 'kafka' | 'http';
  host: string;
  port: number;
}

/** What this cluster can do; the console hides what is off instead of failing on it. */
export interface ClusterFeatures {
  /** Crash an actor, fail its next writes, slow it down. Off unless the operator enabled it. */
  faultInjection: boolean;
  /** There is an actor tree to show (an external Kafka cluster has none). */
  supervision: boolean;
  /** In-process producers and consumer groups can be started (demo and load workload). */
  workload: boolean;
}

export interface ClusterInfo {
  clusterId: string;
  /** 'embedded' is this process's broker; 'external' a Kafka cluster reached over the network. */
  kind: 'embedded' | 'external';
  brokerVersion: string;
  startedAt: EpochMillis;
  uptimeMs: number;
  listeners: ClusterListener[];
  features: ClusterFeatures;
}
