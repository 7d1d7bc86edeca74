import { BrokerError } from '../errors';
import { formatDuration } from './failures';
import type { StopReason } from './lifecycle-events';

/** Everything an owner may want in the error for messages sent to an actor that is not running. */
export interface UnavailableInfo {
  readonly path: string;
  readonly name: string;
  /** `offline` when it was stopped because of failures, `stopped` after a normal stop. */
  readonly state: 'stopped' | 'offline';
  readonly reason: StopReason;
  /** Restarts within the intensity window when it stopped (the "5" in "5 restarts in 60s"). */
  readonly restarts: number;
  readonly withinMs: number;
  readonly lastError: Error | undefined;
}

/**
 * Builds the error a sender gets. It should be retriable (the partition may come back after an
 * operator restart, or the topic may be re-created), e.g. PARTITION_OFFLINE for partitions.
 */
export type UnavailableErrorFactory = (info: UnavailableInfo) => BrokerError;

/** Generic wording; owners such as the partition actor supply their own with a better noun and code. */
export const defaultUnavailableError: UnavailableErrorFactory = (info) =>
  new BrokerError('BROKER_NOT_AVAILABLE', describeUnavailable(info.path, info));

/**
 * "orders-2 is offline after 5 restarts in 60s: disk full", "… is offline: disk full" or
 * "… is stopped", so the owner only has to choose the subject.
 */
export function describeUnavailable(subject: string, info: UnavailableInfo): string {
  const cause = info.lastError === undefined ? '' : `: ${info.lastError.message}`;
  if (info.state === 'stopped') return `${subject} is stopped`;
  if (info.reason === 'restart-limit') {
    return `${subject} is offline after ${info.restarts} restarts in ${formatDuration(info.withinMs)}${cause}`;
  }
  return `${subject} is offline${cause}`;
}
