export * from './partition-assignor';
export { RangeAssignor } from './range-assignor';
export { RoundRobinAssignor } from './round-robin-assignor';
export { StickyAssignor, CooperativeStickyAssignor } from './sticky-assignor';
export { performAssignment, subscriptionMetadata } from './leader-assignment';
