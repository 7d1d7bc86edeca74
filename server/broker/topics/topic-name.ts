import { BrokerError } from '../errors';

/**
 * Kafka's topic name rules (org.apache.kafka.common.internals.Topic), which also keep a name safe
 * as a directory name: `<topic>-<partition>/` under the data dir.
 */
export const MAX_TOPIC_NAME_LENGTH = 249;

/** Names starting with this are the broker's own (`__consumer_offsets`); users may not create them. */
export const INTERNAL_TOPIC_PREFIX = '__';

export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';

const LEGAL_CHAR = /^[a-zA-Z0-9._-]$/;

export function isInternalTopicName(name: string): boolean {
  return name.startsWith(INTERNAL_TOPIC_PREFIX);
}

/**
 * Why `name` is not a legal topic name, as a sentence a person can act on, or undefined if it is
 * legal. The internal-name rule is separate (see `validateTopicName`): the broker itself creates
 * internal topics.
 */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0)
    return `Topic name is empty; use 1 to ${MAX_TOPIC_NAME_LENGTH} letters, digits, '.', '_' or '-'`;
  if (name === '.' || name === '..') {
    return `Topic name '${name}' is invalid: '.' and '..' are reserved; use another name`;
  }
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return (
      `Topic name '${shorten(name)}' is invalid: it has ${name.length} characters, ` +
      `the maximum is ${MAX_TOPIC_NAME_LENGTH}`
    );
  }
  const illegal = illegalCharacters(name);
  if (illegal.length > 0) {
    const listed = illegal.map(showChar).join(', ');
    const verb = illegal.length === 1 ? 'is' : 'are';
    return (
      `Topic name '${shorten(printable(name))}' is invalid: ${listed} ${verb} not allowed; ` +
      `use letters, digits, '.', '_' and '-'`
    );
  }
  return undefined;
}

export function isValidTopicName(name: string): boolean {
  return topicNameProblem(name) === undefined;
}

/**
 * Throws INVALID_TOPIC_EXCEPTION unless `name` is legal. Internal names (`__*`) are refused unless
 * `allowInternal` is set, which only the broker does for its own topics.
 */
export function validateTopicName(name: string, options: { allowInternal?: boolean } = {}): void {
  const problem = topicNameProblem(name);
  if (problem !== undefined) throw new BrokerError('INVALID_TOPIC_EXCEPTION', problem);
  if (isInternalTopicName(name) && options.allowInternal !== true) {
    throw new BrokerError(
      'INVALID_TOPIC_EXCEPTION',
      `Topic name '${shorten(name)}' is invalid: names starting with '${INTERNAL_TOPIC_PREFIX}' are reserved ` +
        `for the broker's internal topics; remove the leading underscores`,
    );
  }
}

/**
 * Kafka turns '.' into '_' in metric names, so 'a.b' and 'a_b' would share metrics; it refuses to
 * create a topic whose name collides that way with an existing one (Topic.hasCollision).
 */
export function unifyCollisionChars(name: string): string {
  return name.replaceAll('.', '_');
}

export function hasCollisionChars(name: string): boolean {
  return name.includes('.') || name.includes('_');
}

/** The existing topic that `name` collides with ('.' vs '_'), or undefined. An equal name is not a collision. */
export function collidingName(name: string, existing: Iterable<string>): string | undefined {
  if (!hasCollisionChars(name)) return undefined;
  const unified = unifyCollisionChars(name);
  for (const other of existing) {
    if (other !== name && unifyCollisionChars(other) === unified) return other;
  }
  return undefined;
}

/** Throws INVALID_TOPIC_EXCEPTION if `name` collides with one of `existing`. */
export function checkNameCollision(name: string, existing: Iterable<string>): void {
  const other = collidingName(name, existing);
  if (other !== undefined) {
    throw new BrokerError(
      'INVALID_TOPIC_EXCEPTION',
      `Topic name '${name}' collides with existing topic '${other}': '.' and '_' are interchangeable ` +
        `in metric names; choose a name that differs by more than '.' and '_'`,
    );
  }
}

function illegalCharacters(name: string): string[] {
  const seen = new Set<string>();
  for (const ch of name) {
    if (!LEGAL_CHAR.test(ch)) seen.add(ch);
  }
  return [...seen];
}

function showChar(ch: string): string {
  if (ch === "'") return `"'"`;
  return `'${printable(ch)}'`;
}

/** Control and other invisible characters as escapes, so the message shows what was sent. */
function printable(text: string): string {
  return text.replace(/[\p{C}\p{Z}]/gu, (ch) => {
    if (ch === ' ') return ' ';
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    if (ch === '\r') return '\\r';
    const code = ch.codePointAt(0) ?? 0;
    return `\\u{${code.toString(16).toUpperCase().padStart(4, '0')}}`;
  });
}

function shorten(name: string): string {
  return name.length > 60 ? `${name.slice(0, 57)}...` : name;
}
