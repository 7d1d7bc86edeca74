/**
 * What the supervision runtime tells the outside world. Each event names the actor by path and
 * carries a timestamp from the runtime's clock and an id from the event bus (strictly increasing,
 * so a console stream can resume after the last id it saw).
 */

export type ActorKind = 'actor' | 'supervisor';

/** Where a failure happened: a message handler, a lifecycle hook, or an injected fault. */
export type FailurePhase = 'message' | 'preStart' | 'preRestart' | 'postStop' | 'injected' | 'escalation';

/**
 * Why a cell stopped: `shutdown` (ordered system/supervisor stop), `removed` (dynamic child
 * removed), `normal-exit` (the actor stopped itself), `supervisor-stop` (the decider said stop),
 * `restart-limit` (restart intensity exceeded), `parent-stopped` (a failing parent was stopped).
 */
export type StopReason =
  'shutdown' | 'removed' | 'normal-exit' | 'supervisor-stop' | 'restart-limit' | 'parent-stopped';

export type LifecycleEventBody =
  | { readonly type: 'started' }
  | {
      readonly type: 'failed';
      readonly error: string;
      readonly phase: FailurePhase;
      /** The message type whose handler failed, for phase `message`. */
      readonly messageType?: string;
    }
  | {
      readonly type: 'restarting';
      /** 1-based attempt since the last quiet period. */
      readonly attempt: number;
      readonly delayMs: number;
      readonly cause?: string;
    }
  | { readonly type: 'restarted'; readonly attempt: number }
  | { readonly type: 'resumed' }
  | {
      readonly type: 'stopped';
      /** `offline` when it stopped because of failures (messages then get the offline error). */
      readonly state: 'stopped' | 'offline';
      readonly reason: StopReason;
      readonly error?: string;
      /** The stop timeout elapsed before the in-flight message or postStop finished. */
      readonly timedOut: boolean;
    }
  | {
      readonly type: 'escalated';
      readonly error: string;
      /** The child whose failure this supervisor could not (or chose not to) handle. */
      readonly childPath: string;
    }
  | {
      readonly type: 'message-dropped';
      readonly count: number;
      readonly reason: 'failed' | 'stopped';
      readonly messageType?: string;
    }
  | { readonly type: 'stash-overflow'; readonly capacity: number }
  | {
      readonly type: 'fault-injected';
      /** `fail-writes`: the partition's next disk writes fail (its DiskFaults), injected by the broker. */
      readonly fault: 'crash' | 'delay' | 'clear' | 'fail-writes';
      readonly detail: string;
    };

export interface LifecycleEventMeta {
  readonly id: number;
  /** Milliseconds since the epoch, from the runtime's scheduler. */
  readonly at: number;
  readonly path: string;
  readonly kind: ActorKind;
}

export type LifecycleEvent = LifecycleEventMeta & LifecycleEventBody;

export type LifecycleEventType = LifecycleEventBody['type'];
