import type { LifecycleEvent } from '../../broker/actors';
import type { ActorEvent } from '../types';
import { toClusterPath } from './paths';

/** A supervision event in the Cluster's shape, with a sentence the event list can show as is. */
export function toActorEvent(event: LifecycleEvent, id: number): ActorEvent {
  const base = { id, at: event.at, kind: 'actor' as const, path: toClusterPath(event.path) };
  switch (event.type) {
    case 'started':
      return { ...base, type: 'started', message: 'started' };
    case 'failed':
      return { ...base, type: 'failed', message: event.error };
    case 'restarting':
      return {
        ...base,
        type: 'restarting',
        message: event.cause ?? `restart ${event.attempt}`,
        attempt: event.attempt,
        delayMs: event.delayMs,
      };
    case 'restarted':
      return { ...base, type: 'restarted', message: `attempt ${event.attempt}`, attempt: event.attempt };
    case 'resumed':
      return { ...base, type: 'resumed', message: 'resumed' };
    case 'stopped': {
      const why = event.error === undefined ? event.reason : `${event.reason}: ${event.error}`;
      const state = event.state === 'offline' ? 'offline, ' : '';
      return { ...base, type: 'stopped', message: `${state}${why}${event.timedOut ? ' (timed out)' : ''}` };
    }
    case 'escalated':
      return {
        ...base,
        type: 'escalated',
        message: `${event.error} (from ${toClusterPath(event.childPath)})`,
      };
    case 'message-dropped': {
      const what = event.messageType === undefined ? '' : ` ${event.messageType}`;
      const noun = event.count === 1 ? 'message' : 'messages';
      return {
        ...base,
        type: 'message-dropped',
        message: `${event.count}${what} ${noun} dropped (actor ${event.reason})`,
      };
    }
    case 'stash-overflow':
      return { ...base, type: 'stash-overflow', message: `stash full (${event.capacity} messages)` };
    case 'fault-injected':
      return { ...base, type: 'fault-injected', message: `${event.fault}: ${event.detail}` };
  }
}
