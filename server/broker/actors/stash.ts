import { MessageQueue } from './message-queue';
import type { PendingReply } from './pending-reply';

/**
 * Holds the messages that arrive while an actor restarts (including its backoff), so that senders
 * are neither failed nor blocked by a transient restart. Bounded: overflow is the sender's
 * OVERLOADED error, never unbounded memory. After the restart the stash is replayed in arrival
 * order behind whatever was already in the mailbox.
 */
export class Stash<M> {
  private readonly queue: MessageQueue<M>;

  constructor(readonly capacity: number) {
    this.queue = new MessageQueue<M>(capacity);
  }

  get size(): number {
    return this.queue.size;
  }

  /** False when the stash is full. */
  stash(message: M, reply: PendingReply | undefined): boolean {
    return this.queue.offer(message, reply);
  }

  /** Moves everything, in order, to the tail of `mailbox` (past its bound; see MessageQueue.push). */
  unstashAll(mailbox: { push(message: M, reply: PendingReply | undefined): void }): void {
    this.queue.drainTo((message, reply) => mailbox.push(message, reply));
  }

  /** Empties the stash through `each` (stop: reject the waiting askers). */
  drainTo(each: (message: M, reply: PendingReply | undefined) => void): number {
    return this.queue.drainTo(each);
  }
}
