import type { ActorState } from '../../api/types';

/** One colour per supervision state, used by every badge and the tree. */
export const ACTOR_STATE_COLOR: Record<ActorState, string> = {
  starting: 'blue',
  running: 'teal',
  suspended: 'orange',
  restarting: 'yellow',
  stopping: 'gray',
  stopped: 'gray',
  offline: 'red',
};
