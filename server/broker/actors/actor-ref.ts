import type { Message, MessageOf, ReplyOf } from './message';

/**
 * The only handle the rest of the broker holds on an actor. It stays valid across restarts (the
 * cell behind it outlives its incarnations); after the actor is stopped or removed, sends fail with
 * the actor's unavailable error instead of hanging.
 */
export interface ActorRef<M extends Message> {
  readonly path: string;
  /**
   * Fire and forget. Throws (synchronously) BrokerError OVERLOADED when the mailbox or restart stash
   * is full, or the actor's unavailable error when it is stopped or offline.
   */
  tell(message: M): void;
  /**
   * Sends and resolves with the handler's result. Rejects with the handler's error, OVERLOADED,
   * the unavailable error, or REQUEST_TIMED_OUT after `timeoutMs` (no timer when omitted).
   */
  ask<K extends M['type']>(message: MessageOf<M, K>, timeoutMs?: number): Promise<ReplyOf<MessageOf<M, K>>>;
}

/** What a ref needs from its cell; an interface so that refs do not import the cell. */
export interface MessageReceiver<M extends Message> {
  readonly path: string;
  tell(message: M): void;
  ask(message: M, timeoutMs: number | undefined): Promise<unknown>;
}

export class LocalActorRef<M extends Message> implements ActorRef<M> {
  constructor(private readonly cell: MessageReceiver<M>) {}

  get path(): string {
    return this.cell.path;
  }

  tell(message: M): void {
    this.cell.tell(message);
  }

  ask<K extends M['type']>(message: MessageOf<M, K>, timeoutMs?: number): Promise<ReplyOf<MessageOf<M, K>>> {
    // The handler table guarantees the reply type per message type; the cell itself is untyped.
    return this.cell.ask(message, timeoutMs) as Promise<ReplyOf<MessageOf<M, K>>>;
  }

  toString(): string {
    return `ActorRef(${this.cell.path})`;
  }
}
