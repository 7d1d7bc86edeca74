import type { EpochMillis } from './common';

/** The in-process demo and load workload: producers and consumer groups. */

export interface ProducerWorkload {
  id: string;
  topic: string;
  ratePerSec: number;
  recordBytes: number;
  startedAt: EpochMillis;
  produced: number;
  errors: number;
  lastError: string | null;
}

export interface ConsumerWorkload {
  groupId: string;
  topic: string;
  members: { memberId: string; consumed: number }[];
  consumed: number;
}

export interface WorkloadStatus {
  producers: ProducerWorkload[];
  consumerGroups: ConsumerWorkload[];
}

export interface StartProducerRequest {
  topic: string;
  ratePerSec: number;
  recordBytes: number;
}

export interface StartConsumerGroupRequest {
  groupId: string;
  topic: string;
  members: number;
}
