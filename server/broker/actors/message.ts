/**
 * Typed protocols. An actor is generic over a discriminated union of messages (discriminant
 * `type`); a message that expects an answer declares its reply type with `Replies<R>`, so that
 * `ref.ask(msg)` resolves to exactly that type and the handler for it must return it.
 *
 *   type Append = { type: 'append'; batch: Buffer } & Replies<{ baseOffset: bigint }>;
 *   type Flush = { type: 'flush' };                      // ask resolves to void
 */

export interface Message {
  readonly type: string;
}

declare const replyBrand: unique symbol;

/** Boxed so that inference keeps `undefined` in reply types such as `number | undefined`. */
interface ReplyBox<R> {
  readonly reply: R;
}

/** Phantom marker: never set at run time, only carries the reply type. */
export interface Replies<R> {
  readonly [replyBrand]?: ReplyBox<R>;
}

/** The reply type of a message, `void` when it declares none. */
export type ReplyOf<T> = T extends { readonly [replyBrand]?: ReplyBox<infer R> }
  ? typeof replyBrand extends keyof T
    ? R
    : void
  : void;

/** The member(s) of the union `M` whose discriminant is `K`. */
export type MessageOf<M extends Message, K extends M['type']> = Extract<M, { type: K }>;

/**
 * One handler per message type. A handler may be async: the actor awaits it before the next
 * message. Use arrow functions (handlers are called without a receiver).
 */
export type Handlers<M extends Message> = {
  readonly [K in M['type']]: (
    msg: MessageOf<M, K>,
  ) => ReplyOf<MessageOf<M, K>> | PromiseLike<ReplyOf<MessageOf<M, K>>>;
};
