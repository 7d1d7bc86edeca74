import { createRequire } from 'node:module';
import { protocolErrors } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { BROKER_ERROR_CODES, BrokerError, type BrokerErrorCode } from '../broker/errors';
import {
  KafkaError,
  kafkaCodeFor,
  kafkaErrorCode,
  kafkaErrorMessage,
  kafkaErrorName,
  type KafkaErrorName,
} from './error-codes';

const require = createRequire(import.meta.url);
const kafkajs = require('kafkajs/src/protocol/error.js') as {
  errorCodes: { code: number; type: string; retriable: boolean }[];
};
const kafkajsByCode = new Map(kafkajs.errorCodes.map((e) => [e.code, e]));
const platformatic = protocolErrors as Record<string, { id: string; code: number; canRetry: boolean }>;

/** Codes mapped to something else than the Kafka error of the same name (see error-codes.ts). */
const NOT_BY_NAME: Partial<Record<BrokerErrorCode, KafkaErrorName>> = {
  PARTITION_OFFLINE: 'NOT_LEADER_OR_FOLLOWER',
  OVERLOADED: 'REQUEST_TIMED_OUT',
};

/** The core's "not available right now, try again" errors. */
const AVAILABILITY: BrokerErrorCode[] = [
  'PARTITION_OFFLINE',
  'OVERLOADED',
  'REQUEST_TIMED_OUT',
  'BROKER_NOT_AVAILABLE',
  'KAFKA_STORAGE_ERROR',
];

describe('Kafka error codes', () => {
  it('the list of broker codes is complete and without duplicates', () => {
    expect(new Set(BROKER_ERROR_CODES).size).toBe(BROKER_ERROR_CODES.length);
    expect(BROKER_ERROR_CODES.length).toBeGreaterThanOrEqual(37);
  });

  it.each(BROKER_ERROR_CODES)('%s maps to a real Kafka error in every scope', (code) => {
    for (const scope of ['partition', 'group'] as const) {
      const n = kafkaCodeFor(code, scope);
      expect(Number.isInteger(n)).toBe(true);
      expect(n).toBeGreaterThan(0);
      expect(kafkaErrorName(n)).not.toMatch(/^ERROR_/);
      expect(kafkaErrorCode(new BrokerError(code, 'x'), scope)).toBe(n);
    }
  });

  it('maps each broker code to the Kafka error of the same name, except the documented ones', () => {
    for (const code of BROKER_ERROR_CODES) {
      const expected = NOT_BY_NAME[code] ?? (code as KafkaErrorName);
      expect(KafkaError[expected], code).toBeDefined();
      if (code === 'BROKER_NOT_AVAILABLE') continue; // by name by default, overridden per scope
      expect(kafkaCodeFor(code), code).toBe(KafkaError[expected]);
    }
  });

  it('every named code agrees with @platformatic/kafka (Kafka 3.x/4.x names)', () => {
    for (const [name, code] of Object.entries(KafkaError)) {
      const theirs = Object.values(platformatic).find((e) => e.id === name);
      expect(theirs?.code, name).toBe(code);
    }
  });

  it('every named code agrees with kafkajs where kafkajs knows it (older names allowed)', () => {
    const renamed: Record<string, string> = {
      UNKNOWN_SERVER_ERROR: 'UNKNOWN',
      NOT_LEADER_OR_FOLLOWER: 'NOT_LEADER_FOR_PARTITION',
      COORDINATOR_LOAD_IN_PROGRESS: 'GROUP_LOAD_IN_PROGRESS',
      COORDINATOR_NOT_AVAILABLE: 'GROUP_COORDINATOR_NOT_AVAILABLE',
      NOT_COORDINATOR: 'NOT_COORDINATOR_FOR_GROUP',
    };
    for (const [name, code] of Object.entries(KafkaError)) {
      if (code === 0) continue; // kafkajs has no entry for NONE
      const theirs = kafkajsByCode.get(code);
      if (theirs === undefined) {
        expect(code, `${name} unknown to kafkajs`).toBeGreaterThan(88); // kafkajs stops at 88
        continue;
      }
      expect(theirs.type, `${name} = ${code}`).toBe(renamed[name] ?? name);
    }
  });

  it('spot checks against Errors.java', () => {
    expect(KafkaError).toMatchObject({
      UNKNOWN_SERVER_ERROR: -1,
      NONE: 0,
      NOT_LEADER_OR_FOLLOWER: 6,
      REQUEST_TIMED_OUT: 7,
      MESSAGE_TOO_LARGE: 10,
      COORDINATOR_NOT_AVAILABLE: 15,
      NOT_COORDINATOR: 16,
      INVALID_TOPIC_EXCEPTION: 17,
      RECORD_LIST_TOO_LARGE: 18,
      ILLEGAL_GENERATION: 22,
      UNSUPPORTED_VERSION: 35,
      TOPIC_ALREADY_EXISTS: 36,
      INVALID_CONFIG: 40,
      INVALID_REQUEST: 42,
      INVALID_PRODUCER_ID_MAPPING: 49,
      KAFKA_STORAGE_ERROR: 56,
      UNKNOWN_PRODUCER_ID: 59,
      NON_EMPTY_GROUP: 68,
      GROUP_ID_NOT_FOUND: 69,
      UNSUPPORTED_COMPRESSION_TYPE: 76,
      MEMBER_ID_REQUIRED: 79,
      GROUP_MAX_SIZE_REACHED: 81,
      FENCED_INSTANCE_ID: 82,
      GROUP_SUBSCRIBED_TO_TOPIC: 86,
      THROTTLING_QUOTA_EXCEEDED: 89,
    });
  });

  it.each(AVAILABILITY)('%s is retriable for kafkajs and @platformatic/kafka in both scopes', (code) => {
    for (const scope of ['partition', 'group'] as const) {
      const n = kafkaCodeFor(code, scope);
      expect(kafkajsByCode.get(n)?.retriable, `${scope}: ${kafkaErrorName(n)} in kafkajs`).toBe(true);
      const theirs = Object.values(platformatic).find((e) => e.code === n);
      expect(theirs?.canRetry, `${scope}: ${kafkaErrorName(n)} in @platformatic/kafka`).toBe(true);
    }
  });

  it('group scope turns availability errors into COORDINATOR_NOT_AVAILABLE and keeps the rest', () => {
    for (const code of AVAILABILITY) expect(kafkaCodeFor(code, 'group')).toBe(15);
    expect(kafkaCodeFor('UNKNOWN_MEMBER_ID', 'group')).toBe(25);
    expect(kafkaCodeFor('UNKNOWN_TOPIC_OR_PARTITION', 'group')).toBe(3);
  });

  it('anything that is not a BrokerError is UNKNOWN_SERVER_ERROR with a generic message', () => {
    for (const e of [new Error('/var/secret/path: EIO'), 'text', undefined, { code: 'NOT_COORDINATOR' }]) {
      expect(kafkaErrorCode(e)).toBe(-1);
      expect(kafkaErrorMessage(e)).toBe(
        'The server experienced an unexpected error when processing the request.',
      );
    }
  });

  it('a BrokerError keeps its own message for errorMessage fields', () => {
    const e = new BrokerError(
      'INVALID_PARTITIONS',
      "The partition count of topic 't' must be between 1 and 10000",
    );
    expect(kafkaErrorMessage(e)).toBe(e.message);
    expect(kafkaErrorCode(e)).toBe(37);
  });

  it('names codes for log lines', () => {
    expect(kafkaErrorName(6)).toBe('NOT_LEADER_OR_FOLLOWER');
    expect(kafkaErrorName(-1)).toBe('UNKNOWN_SERVER_ERROR');
    expect(kafkaErrorName(1234)).toBe('ERROR_1234');
  });
});
