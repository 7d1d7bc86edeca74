import { describe, expect, it } from 'vitest';
import { BrokerError } from '../errors';
import {
  MAX_TOPIC_NAME_LENGTH,
  checkNameCollision,
  collidingName,
  isInternalTopicName,
  isValidTopicName,
  topicNameProblem,
  validateTopicName,
} from './topic-name';

function failure(fn: () => void): BrokerError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BrokerError) return error;
    throw error;
  }
  throw new Error('expected a BrokerError');
}

describe('topic names', () => {
  it.each(['orders', 'a', 'A-Z_a.z-0.9', 'my.topic_v2-final', '...', '-', '_', 'x'.repeat(249)])(
    'accepts %j',
    (name) => {
      expect(topicNameProblem(name)).toBeUndefined();
      expect(() => validateTopicName(name)).not.toThrow();
    },
  );

  it('enforces the 249-character limit', () => {
    expect(MAX_TOPIC_NAME_LENGTH).toBe(249);
    expect(isValidTopicName('t'.repeat(249))).toBe(true);
    const error = failure(() => validateTopicName('t'.repeat(250)));
    expect(error.code).toBe('INVALID_TOPIC_EXCEPTION');
    expect(error.message).toMatch(/has 250 characters, the maximum is 249/);
    expect(error.message.length).toBeLessThan(200);
  });

  it('rejects the empty name, "." and ".."', () => {
    expect(failure(() => validateTopicName('')).message).toMatch(/empty/);
    for (const name of ['.', '..']) {
      const error = failure(() => validateTopicName(name));
      expect(error.code).toBe('INVALID_TOPIC_EXCEPTION');
      expect(error.message).toContain(`'${name}'`);
      expect(error.message).toMatch(/reserved/);
    }
  });

  it('names the offending character', () => {
    const error = failure(() => validateTopicName('a b'));
    expect(error.code).toBe('INVALID_TOPIC_EXCEPTION');
    expect(error.message).toBe(
      "Topic name 'a b' is invalid: ' ' is not allowed; use letters, digits, '.', '_' and '-'",
    );
  });

  it('lists each distinct offending character once', () => {
    const message = failure(() => validateTopicName('a/b/c:d')).message;
    expect(message).toContain("'/', ':' are not allowed");
  });

  it.each(['a/b', 'a\\b', 'a*', 'tópico', 'emoji🙂', "it's", 'tab\there', 'nul\u0000', 'line\nbreak', 'a,b'])(
    'rejects %j',
    (name) => {
      expect(isValidTopicName(name)).toBe(false);
      expect(failure(() => validateTopicName(name)).code).toBe('INVALID_TOPIC_EXCEPTION');
    },
  );

  it('shows invisible characters as escapes', () => {
    expect(topicNameProblem('a\u0000b')).toContain("'\\u{0000}'");
    expect(topicNameProblem('a\nb')).toContain("'\\n'");
  });

  it('refuses internal names unless the broker asks', () => {
    expect(isInternalTopicName('__consumer_offsets')).toBe(true);
    expect(isInternalTopicName('_single')).toBe(false);
    const error = failure(() => validateTopicName('__consumer_offsets'));
    expect(error.code).toBe('INVALID_TOPIC_EXCEPTION');
    expect(error.message).toMatch(/reserved for the broker's internal topics/);
    expect(() => validateTopicName('__consumer_offsets', { allowInternal: true })).not.toThrow();
    expect(() => validateTopicName('_single')).not.toThrow();
  });
});

describe('name collisions', () => {
  it("finds a topic that differs only by '.' versus '_'", () => {
    expect(collidingName('a.b', ['x', 'a_b'])).toBe('a_b');
    expect(collidingName('a_b', ['a.b'])).toBe('a.b');
    expect(collidingName('a.b_c', ['a_b.c'])).toBe('a_b.c');
  });

  it('is not a collision for the same name, a name without . or _, or a different name', () => {
    expect(collidingName('a.b', ['a.b'])).toBeUndefined();
    expect(collidingName('ab', ['ab', 'a_b'])).toBeUndefined();
    expect(collidingName('a.b', ['a-b', 'a.c'])).toBeUndefined();
  });

  it('throws INVALID_TOPIC_EXCEPTION naming both topics', () => {
    const error = failure(() => checkNameCollision('metrics.cpu', new Set(['metrics_cpu'])));
    expect(error.code).toBe('INVALID_TOPIC_EXCEPTION');
    expect(error.message).toContain("'metrics.cpu'");
    expect(error.message).toContain("'metrics_cpu'");
  });
});
