/**
 * Sluice's actor runtime: Akka Typed / Erlang OTP style supervision for the broker's partitions,
 * topics, consumer groups and background workers.
 */
export type { Actor, ActorContext, ActorFactory, PostStop } from './actor';
export type { ActorRef } from './actor-ref';
export { ActorSystem, type ActorSystemOptions, type CrashMode } from './actor-system';
export { backoffDelay, type BackoffOptions } from './backoff';
export { always, byErrorCode, type Decider, type Directive, type FailedChild } from './directive';
export type { EventBus, EventHistory, LifecycleListener } from './event-bus';
export { RestartLimitExceededError, formatDuration } from './failures';
export type {
  ActorKind,
  FailurePhase,
  LifecycleEvent,
  LifecycleEventBody,
  LifecycleEventType,
  StopReason,
} from './lifecycle-events';
export type { Handlers, Message, MessageOf, Replies, ReplyOf } from './message';
export type { ChildOptions, Props, RestartType, SupervisorProps } from './props';
export { systemScheduler, type Scheduler, type TimerHandle } from './scheduler';
export type { ActorSnapshot, ActorState } from './snapshot';
export type { Supervisor } from './supervisor';
export {
  allForOne,
  oneForOne,
  restForOne,
  type StrategyKind,
  type StrategyOptions,
  type SupervisorStrategy,
} from './supervisor-strategy';
export type { TimerScheduler } from './timer-scheduler';
export {
  defaultUnavailableError,
  describeUnavailable,
  type UnavailableErrorFactory,
  type UnavailableInfo,
} from './unavailable';
