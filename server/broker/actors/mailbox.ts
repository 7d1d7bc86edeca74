import { BrokerError } from '../errors';
import { toError } from './failures';
import type { Message } from './message';
import { MessageQueue } from './message-queue';
import type { PendingReply } from './pending-reply';
import { settlesWithin, type Scheduler } from './scheduler';

export type Handler = (message: Message) => unknown;

/** How the mailbox reports a failing message to its cell (which reports it to the supervisor). */
export type MessageFailure = (error: Error, reply: PendingReply | undefined, messageType: string) => void;

/**
 * Messages handled in one go before the mailbox lets other actors' queued work run (Akka's
 * dispatcher throughput): keeps a busy actor with synchronous handlers from hogging the loop.
 */
const THROUGHPUT = 64;

/**
 * Akka's Mailbox: a bounded queue plus the run loop that feeds it to the handlers one message at a
 * time, awaiting async handlers before the next message. Suspended while the actor is not running
 * (starting, failed, restarting, stopping): messages still queue, nothing is processed.
 *
 * The hot path allocates nothing beyond the ask's own promise: messages sit in ring arrays, the
 * loop is one bound function scheduled once per idle→busy transition, and async completions reuse
 * two callbacks per epoch instead of a closure per message.
 */
export class Mailbox<M extends Message> {
  /** The current incarnation's handler table; undefined between incarnations. */
  handlers: Readonly<Record<string, Handler>> | undefined;
  private readonly queue: MessageQueue<M>;
  private suspended = true;
  private busy = false;
  private drainScheduled = false;
  private current: PendingReply | undefined;
  // The in-flight handler's promise, and after a give-up the abandoned one (settled, never rejects).
  private currentWork: PromiseLike<unknown> | undefined;
  private abandoned: Promise<void> | undefined;
  private currentType = '';
  // Bumped when an in-flight message is abandoned (its stop timeout passed): a late completion of an
  // older epoch is ignored instead of being taken for the next message's.
  private epoch = 0;
  private onResolved: (value: unknown) => void = () => {};
  private onRejected: (error: unknown) => void = () => {};
  private idleWaiters: (() => void)[] = [];
  private crashNext: Error | undefined;
  private delayMs = 0;

  constructor(
    capacity: number,
    private readonly path: string,
    private readonly scheduler: Scheduler,
    private readonly onFailure: MessageFailure,
  ) {
    this.queue = new MessageQueue<M>(capacity);
    this.armCompletion();
  }

  get capacity(): number {
    return this.queue.capacity;
  }

  get size(): number {
    return this.queue.size;
  }

  get processing(): boolean {
    return this.busy;
  }

  /** Enqueues within the bound; false when full. */
  offer(message: M, reply: PendingReply | undefined): boolean {
    if (!this.queue.offer(message, reply)) return false;
    if (!this.suspended && !this.busy) this.scheduleDrain();
    return true;
  }

  /** Enqueues past the bound (stash replay). */
  push(message: M, reply: PendingReply | undefined): void {
    this.queue.push(message, reply);
  }

  /** Removes every queued message (stop); returns how many. */
  drainTo(each: (message: M, reply: PendingReply | undefined) => void): number {
    return this.queue.drainTo(each);
  }

  suspend(): void {
    this.suspended = true;
  }

  resume(): void {
    this.suspended = false;
    this.scheduleDrain();
  }

  /** Fault injection: the next message fails with `error` instead of reaching its handler. */
  crashOnNextMessage(error: Error | undefined): void {
    this.crashNext = error;
  }

  /** Fault injection: wait `delayMs` before each message (0 turns it off). */
  delayEachMessage(delayMs: number): void {
    this.delayMs = Math.max(0, delayMs);
  }

  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Waits for the in-flight message up to `timeoutMs`. Past it, gives up on that message (its
   * asker gets REQUEST_TIMED_OUT and its eventual outcome is ignored). True if it finished.
   */
  async settleInFlight(timeoutMs: number): Promise<boolean> {
    if (await settlesWithin(this.scheduler, this.whenIdle(), timeoutMs)) return true;
    const reply = this.current;
    const work = this.currentWork;
    this.current = undefined;
    this.currentWork = undefined;
    if (work !== undefined) this.abandoned = Promise.resolve(work).then(noop, noop);
    this.busy = false;
    this.armCompletion();
    const message = `${this.path} gave up on '${this.currentType}' after ${timeoutMs} ms`;
    reply?.reject(new BrokerError('REQUEST_TIMED_OUT', message));
    this.becameIdle();
    return false;
  }

  /** Settles when the message given up by the last timed-out settleInFlight does (once). */
  takeAbandoned(): Promise<void> | undefined {
    const abandoned = this.abandoned;
    this.abandoned = undefined;
    return abandoned;
  }

  private readonly drainTask = (): void => {
    this.drainScheduled = false;
    this.drain();
  };

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    queueMicrotask(this.drainTask);
  }

  private drain(): void {
    let budget = THROUGHPUT;
    while (!this.suspended && !this.busy && this.queue.size > 0) {
      if (budget-- === 0) return this.scheduleDrain();
      const reply = this.queue.peekReply();
      const message = this.queue.shift() as M;
      if (this.delayMs > 0) return this.invokeLater(message, reply);
      this.invoke(message, reply);
    }
  }

  private invoke(message: M, reply: PendingReply | undefined): void {
    this.currentType = message.type;
    let result: unknown;
    try {
      const crash = this.crashNext;
      if (crash !== undefined) {
        this.crashNext = undefined;
        throw crash;
      }
      const handler = this.handlers?.[message.type];
      if (handler === undefined) {
        throw new BrokerError(
          'INVALID_REQUEST',
          `${this.path} has no handler for message type '${message.type}'`,
        );
      }
      result = handler(message);
    } catch (error) {
      this.onFailure(toError(error), reply, message.type);
      return;
    }
    if (result instanceof Promise || isThenable(result)) {
      this.busy = true;
      this.current = reply;
      this.currentWork = result as PromiseLike<unknown>;
      (result as PromiseLike<unknown>).then(this.onResolved, this.onRejected);
    } else if (reply !== undefined) {
      reply.resolve(result);
    }
  }

  /** Injected slowness: the message counts as in flight while it waits, so a stop waits for it too. */
  private invokeLater(message: M, reply: PendingReply | undefined): void {
    this.busy = true;
    this.current = reply;
    this.currentType = message.type;
    const epoch = this.epoch;
    const run = (): void => {
      if (epoch !== this.epoch) return;
      this.busy = false;
      this.current = undefined;
      this.invoke(message, reply);
      if (!this.busy) this.becameIdle();
    };
    this.scheduler.setTimeout(run, this.delayMs, undefined);
  }

  /** Fresh completion callbacks for a new epoch: two closures per epoch, none per message. */
  private armCompletion(): void {
    const epoch = ++this.epoch;
    this.onResolved = (value) => {
      if (epoch !== this.epoch) return;
      const reply = this.current;
      this.current = undefined;
      this.currentWork = undefined;
      this.busy = false;
      reply?.resolve(value);
      this.becameIdle();
    };
    this.onRejected = (error) => {
      if (epoch !== this.epoch) return;
      const reply = this.current;
      this.current = undefined;
      this.currentWork = undefined;
      this.busy = false;
      this.onFailure(toError(error), reply, this.currentType);
      this.becameIdle();
    };
  }

  private becameIdle(): void {
    if (this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
    this.drain();
  }
}

function noop(): void {}

function isThenable(value: unknown): boolean {
  return (
    value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function'
  );
}
