import type { PendingReply } from './pending-reply';

/**
 * A FIFO of (message, reply) pairs in two parallel ring arrays, so enqueueing allocates nothing
 * (no envelope object, no `Array.shift` copying). The arrays start small and double on demand up
 * to the bound, so thousands of idle partition actors cost little memory.
 *
 * `capacity` is enforced by `offer`; `push` ignores it and is reserved for replaying the stash,
 * which has its own bound (so the total stays bounded by capacity + stash capacity).
 */
export class MessageQueue<M> {
  private messages: (M | undefined)[];
  private replies: (PendingReply | undefined)[];
  private head = 0;
  private count = 0;
  private mask: number;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    }
    const initial = Math.min(16, nextPowerOfTwo(capacity));
    this.messages = new Array<M | undefined>(initial);
    this.replies = new Array<PendingReply | undefined>(initial);
    this.mask = initial - 1;
  }

  get size(): number {
    return this.count;
  }

  get isFull(): boolean {
    return this.count >= this.capacity;
  }

  /** Adds at the tail unless full; returns false when full (the caller reports OVERLOADED). */
  offer(message: M, reply: PendingReply | undefined): boolean {
    if (this.count >= this.capacity) return false;
    this.push(message, reply);
    return true;
  }

  push(message: M, reply: PendingReply | undefined): void {
    if (this.count === this.messages.length) this.grow();
    const tail = (this.head + this.count) & this.mask;
    this.messages[tail] = message;
    this.replies[tail] = reply;
    this.count++;
  }

  /** The head's reply handle; call before `shift`, which returns the message. */
  peekReply(): PendingReply | undefined {
    return this.replies[this.head];
  }

  /** Removes and returns the head message; undefined when empty. */
  shift(): M | undefined {
    if (this.count === 0) return undefined;
    const message = this.messages[this.head];
    // Clear the slots so the ring does not keep processed batches alive for the GC.
    this.messages[this.head] = undefined;
    this.replies[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return message;
  }

  /** Empties the queue, handing every entry to `each` in order (stop: reject waiting askers). */
  drainTo(each: (message: M, reply: PendingReply | undefined) => void): number {
    const n = this.count;
    while (this.count > 0) {
      const reply = this.peekReply();
      const message = this.shift() as M;
      each(message, reply);
    }
    return n;
  }

  private grow(): void {
    const length = this.messages.length * 2;
    const messages = new Array<M | undefined>(length);
    const replies = new Array<PendingReply | undefined>(length);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) & this.mask;
      messages[i] = this.messages[from];
      replies[i] = this.replies[from];
    }
    this.messages = messages;
    this.replies = replies;
    this.head = 0;
    this.mask = length - 1;
  }
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
