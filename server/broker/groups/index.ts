export { GroupCoordinator, type GroupCoordinatorOptions } from './group-coordinator';
export * from './group-api';
export type { GroupState } from './group-state';
export { canTransition, GROUP_STATES } from './group-state';
export type { Scheduler, Cancel } from './scheduler';
export { ManualScheduler } from './scheduler';
export type { GroupSnapshot, MemberSnapshot } from './group-snapshot';
export { parseGroupSnapshot } from './group-snapshot';
export type {
  RebalanceRecord,
  RebalanceReason,
  MemberRemovalCause,
  RecordedMember,
  RecordedAssignment,
  RemovedMember,
} from './rebalance-record';
export * from './consumer-protocol';
export type * from './group-service-api';
export { GroupService } from './group-service';
export { OFFSETS_TOPIC, partitionForGroup } from './offsets-format';
export { REBALANCES_TOPIC } from './rebalance-history';
