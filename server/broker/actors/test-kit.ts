/**
 * Shared fixtures for this folder's tests (Akka's ActorTestKit in miniature): a scriptable actor
 * that journals its lifecycle and messages, and helpers to let fake time and promises settle.
 * Not part of the public API.
 */
import { vi } from 'vitest';
import type { ActorFactory } from './actor';
import { ActorSystem, type ActorSystemOptions } from './actor-system';
import type { LifecycleEvent, LifecycleEventType } from './lifecycle-events';
import type { Replies } from './message';

export type TestMsg =
  | ({ type: 'inc' } & Replies<number>)
  | ({ type: 'get' } & Replies<number>)
  | ({ type: 'echo'; value: string } & Replies<string>)
  | ({ type: 'wait'; gate: Promise<void>; value: string } & Replies<string>)
  | { type: 'fail'; message: string }
  | { type: 'failAsync'; message: string }
  | { type: 'exit' };

export interface TestActorOptions {
  /** Throws from preStart while it returns a message. */
  readonly preStartError?: () => string | undefined;
  /** preStart waits for this. */
  readonly preStartGate?: () => Promise<void>;
  /** postStop waits for this. */
  readonly postStopGate?: () => Promise<void>;
}

/**
 * An actor with a counter (its state), echo, gated waits and scripted failures. Every incarnation
 * journals `name#n:event` (n counts incarnations from 1), so tests can assert the exact order.
 */
export function testActor(
  name: string,
  journal: string[],
  options: TestActorOptions = {},
): ActorFactory<TestMsg> {
  let incarnations = 0;
  return (context) => {
    const n = ++incarnations;
    const tag = `${name}#${n}`;
    let count = 0;
    return {
      receive: {
        inc: () => ++count,
        get: () => count,
        echo: (msg) => {
          journal.push(`${tag}:echo ${msg.value}`);
          return msg.value;
        },
        wait: async (msg) => {
          journal.push(`${tag}:wait ${msg.value} begin`);
          await msg.gate;
          journal.push(`${tag}:wait ${msg.value} end`);
          return msg.value;
        },
        fail: (msg) => {
          throw new Error(msg.message);
        },
        failAsync: async (msg) => {
          await Promise.resolve();
          throw new Error(msg.message);
        },
        exit: () => context.stopSelf(),
      },
      preStart: async () => {
        journal.push(`${tag}:preStart`);
        await options.preStartGate?.();
        const error = options.preStartError?.();
        if (error !== undefined) throw new Error(error);
      },
      preRestart: (error) => {
        journal.push(`${tag}:preRestart ${error.message}`);
      },
      postStop: async () => {
        journal.push(`${tag}:postStop`);
        await options.postStopGate?.();
      },
    };
  };
}

/** A system on fake time with deterministic jitter (random = 0.5 unless given). */
export function testSystem(options: ActorSystemOptions = {}): ActorSystem {
  return new ActorSystem({ random: () => 0.5, ...options });
}

/** Lets microtasks and any timers due within `ms` of fake time run. */
export async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The recorded events of the given types, as `type path` strings, for compact assertions. */
export function eventsOf(system: ActorSystem, ...types: LifecycleEventType[]): string[] {
  return system.events
    .history()
    .events.filter((e) => types.length === 0 || types.includes(e.type))
    .map((e) => `${e.type} ${e.path}`);
}

export function lastEvent<T extends LifecycleEventType>(
  system: ActorSystem,
  type: T,
  path?: string,
): Extract<LifecycleEvent, { type: T }> | undefined {
  const events = system.events.history().events;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event !== undefined && event.type === type && (path === undefined || event.path === path)) {
      return event as Extract<LifecycleEvent, { type: T }>;
    }
  }
  return undefined;
}

/** The settled outcome of a promise without letting a rejection go unhandled. */
export function outcome<T>(promise: Promise<T>): { value?: T; error?: unknown; settled: boolean } {
  const result: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(result, { value, settled: true }),
    (error: unknown) => Object.assign(result, { error, settled: true }),
  );
  return result;
}
