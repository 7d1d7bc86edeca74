import type { MessageOf, ReplyOf } from '../actors';
import type { PartitionHandle } from './partition-handle';
import type { Outcome, PartitionMessage } from './partition-protocol';

/**
 * Asking a partition actor from the broker's services: failures outside the handler's own
 * answers (offline, overloaded, timed out, crashed) come back as typed BrokerErrors, and
 * `request` unwraps the handler's Outcome into a value or a thrown BrokerError.
 */
type Type = PartitionMessage['type'];
type Reply<K extends Type> = ReplyOf<MessageOf<PartitionMessage, K>>;
type OutcomeTypes = {
  [K in Type]: Reply<K> extends Outcome<unknown> ? K : never;
}[Type];
type OutcomeValue<R> = [R] extends [Outcome<infer T>] ? T : never;

export async function askPartition<K extends Type>(
  handle: PartitionHandle,
  message: MessageOf<PartitionMessage, K>,
  timeoutMs: number,
): Promise<Reply<K>> {
  try {
    return await handle.ref.ask(message, timeoutMs);
  } catch (error) {
    throw handle.wrapError(error);
  }
}

export async function requestPartition<K extends OutcomeTypes>(
  handle: PartitionHandle,
  message: MessageOf<PartitionMessage, K>,
  timeoutMs: number,
): Promise<OutcomeValue<Reply<K>>> {
  let outcome: Outcome<unknown>;
  try {
    outcome = (await handle.ref.ask(message, timeoutMs)) as Outcome<unknown>;
  } catch (error) {
    throw handle.wrapError(error);
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value as OutcomeValue<Reply<K>>;
}
