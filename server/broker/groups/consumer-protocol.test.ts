import { describe, expect, it } from 'vitest';
import { isBrokerError } from '../errors';
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  tryDecodeSubscription,
} from './consumer-protocol';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('ConsumerProtocol Subscription', () => {
  it('encodes version 0 as Kafka does', () => {
    expect(encodeSubscription({ topics: ['t'] }, 0)).toEqual(hex('0000 00000001 0001 74 ffffffff'));
  });

  it('round-trips every version, dropping the fields a version lacks', () => {
    const full = {
      topics: ['orders', 'payments'],
      userData: Buffer.from([1, 2, 3]),
      ownedPartitions: [{ topic: 'orders', partitions: [0, 2] }],
      generationId: 7,
      rackId: 'rack-1',
    };
    expect(decodeSubscription(encodeSubscription(full, 3))).toEqual({ version: 3, ...full });
    expect(decodeSubscription(encodeSubscription(full, 2))).toEqual({ version: 2, ...full, rackId: null });
    expect(decodeSubscription(encodeSubscription(full, 1))).toEqual({
      version: 1,
      ...full,
      generationId: -1,
      rackId: null,
    });
    expect(decodeSubscription(encodeSubscription(full, 0))).toEqual({
      version: 0,
      topics: full.topics,
      userData: full.userData,
      ownedPartitions: [],
      generationId: -1,
      rackId: null,
    });
  });

  it('reads a newer version with the newest format it knows', () => {
    const v3 = encodeSubscription({ topics: ['t'], generationId: 3 }, 3);
    const v4 = Buffer.concat([hex('0004'), v3.subarray(2), hex('deadbeef')]);
    expect(decodeSubscription(v4)).toMatchObject({ version: 4, topics: ['t'], generationId: 3 });
  });

  it('rejects truncated or lying bytes with INVALID_REQUEST, without allocating from their lengths', () => {
    const good = encodeSubscription({ topics: ['topic'] }, 1);
    for (let cut = 0; cut < good.length; cut++) {
      expect(tryDecodeSubscription(good.subarray(0, cut))).toBeUndefined();
    }
    const huge = hex('0000 7fffffff');
    let error: unknown;
    try {
      decodeSubscription(huge);
    } catch (e) {
      error = e;
    }
    expect(isBrokerError(error, 'INVALID_REQUEST')).toBe(true);
    expect(tryDecodeSubscription(hex('ffff 00000000 ffffffff'))).toBeUndefined(); // negative version
  });
});

describe('ConsumerProtocol Assignment', () => {
  it('encodes version 0 as Kafka does and round-trips', () => {
    const assignment = { assignedPartitions: [{ topic: 't', partitions: [0, 1] }], userData: null };
    const bytes = encodeAssignment(assignment, 0);
    expect(bytes).toEqual(hex('0000 00000001 0001 74 00000002 00000000 00000001 ffffffff'));
    expect(decodeAssignment(bytes)).toEqual({ version: 0, ...assignment });
    expect(decodeAssignment(encodeAssignment({ ...assignment, userData: Buffer.from('x') }))).toEqual({
      version: 3,
      ...assignment,
      userData: Buffer.from('x'),
    });
  });

  it('reads empty bytes (a member the leader left out) as an empty assignment', () => {
    expect(decodeAssignment(Buffer.alloc(0))).toEqual({ version: 0, assignedPartitions: [], userData: null });
  });
});
