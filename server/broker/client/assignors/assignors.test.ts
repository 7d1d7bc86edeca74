import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAssignment, type TopicPartitions } from '../../groups/consumer-protocol';
import { performAssignment, subscriptionMetadata } from './leader-assignment';
import type { AssignorMember, GroupAssignment, PartitionAssignor } from './partition-assignor';
import { RangeAssignor } from './range-assignor';
import { RoundRobinAssignor } from './round-robin-assignor';
import { CooperativeStickyAssignor, StickyAssignor } from './sticky-assignor';

const member = (memberId: string, topics: string[], extra: Partial<AssignorMember['subscription']> = {}) => ({
  memberId,
  subscription: { topics, ...extra },
});
const flat = (list: readonly TopicPartitions[] | undefined) =>
  (list ?? []).flatMap((tp) => tp.partitions.map((p) => `${tp.topic}-${p}`));
const counts = (a: GroupAssignment) => [...a.values()].map((l) => flat(l).length);

describe('RangeAssignor', () => {
  it("matches Kafka's documented example", () => {
    const result = new RangeAssignor().assign(
      [member('C0', ['t0', 't1']), member('C1', ['t0', 't1'])],
      new Map([
        ['t0', 3],
        ['t1', 3],
      ]),
    );
    expect(flat(result.get('C0'))).toEqual(['t0-0', 't0-1', 't1-0', 't1-1']);
    expect(flat(result.get('C1'))).toEqual(['t0-2', 't1-2']);
  });

  it('orders static members first, by instance id', () => {
    const result = new RangeAssignor().assign(
      [{ ...member('a', ['t']) }, { ...member('z', ['t']), groupInstanceId: 'i-1' }],
      new Map([['t', 2]]),
    );
    expect(flat(result.get('z'))).toEqual(['t-0']);
  });
});

describe('RoundRobinAssignor', () => {
  it("matches Kafka's documented example", () => {
    const result = new RoundRobinAssignor().assign(
      [member('C0', ['t0', 't1']), member('C1', ['t0', 't1'])],
      new Map([
        ['t0', 3],
        ['t1', 3],
      ]),
    );
    expect(flat(result.get('C0'))).toEqual(['t0-0', 't0-2', 't1-1']);
    expect(flat(result.get('C1'))).toEqual(['t0-1', 't1-0', 't1-2']);
  });

  it('skips members not subscribed to a topic', () => {
    const result = new RoundRobinAssignor().assign(
      [member('C0', ['t0']), member('C1', ['t0', 't1']), member('C2', ['t0', 't1', 't2'])],
      new Map([
        ['t0', 1],
        ['t1', 2],
        ['t2', 3],
      ]),
    );
    expect(flat(result.get('C0'))).toEqual(['t0-0']);
    expect(flat(result.get('C1'))).toEqual(['t1-0']);
    expect(flat(result.get('C2'))).toEqual(['t1-1', 't2-0', 't2-1', 't2-2']);
  });
});

describe('sticky assignors', () => {
  const topics = new Map([['t', 6]]);

  it('keep the survivors partitions when a member leaves', () => {
    const owned = {
      a: [{ topic: 't', partitions: [0, 1] }],
      b: [{ topic: 't', partitions: [2, 3] }],
    };
    for (const assignor of [new StickyAssignor(), new CooperativeStickyAssignor()]) {
      const result = assignor.assign(
        [
          member('a', ['t'], { ownedPartitions: owned.a, generationId: 4 }),
          member('b', ['t'], { ownedPartitions: owned.b, generationId: 4 }),
        ],
        topics,
      );
      expect(flat(result.get('a'))).toEqual(expect.arrayContaining(['t-0', 't-1']));
      expect(flat(result.get('b'))).toEqual(expect.arrayContaining(['t-2', 't-3']));
      expect(counts(result)).toEqual([3, 3]);
    }
  });

  it('read eager ownership from StickyAssignor userData', () => {
    const assignor = new StickyAssignor();
    const userData = assignor.subscriptionUserData([{ topic: 't', partitions: [4, 5] }], 2);
    const result = assignor.assign([member('a', ['t']), member('b', ['t'], { userData })], topics);
    expect(flat(result.get('b'))).toEqual(expect.arrayContaining(['t-4', 't-5']));
  });

  it('ignore claims older than the newest generation, and contested ones', () => {
    const result = new CooperativeStickyAssignor().assign(
      [
        member('a', ['t'], { ownedPartitions: [{ topic: 't', partitions: [0, 1, 2] }], generationId: 3 }),
        member('b', ['t'], { ownedPartitions: [{ topic: 't', partitions: [0, 1, 2] }], generationId: 2 }),
      ],
      topics,
    );
    expect(flat(result.get('a'))).toEqual(['t-0', 't-1', 't-2']);
    expect(flat(result.get('b'))).toEqual(['t-3', 't-4', 't-5']);
  });

  it('cooperative: withholds a partition that changes owner until its owner has revoked it', () => {
    const assignor = new CooperativeStickyAssignor();
    const all = [{ topic: 't', partitions: [0, 1, 2, 3, 4, 5] }];
    const first = assignor.assign(
      [member('a', ['t'], { ownedPartitions: all, generationId: 1 }), member('b', ['t'])],
      topics,
    );
    expect(counts(first)).toEqual([3, 0]); // a keeps 3, b gets nothing yet: a must revoke first
    const second = assignor.assign(
      [
        member('a', ['t'], { ownedPartitions: first.get('a') ?? [], generationId: 2 }),
        member('b', ['t'], { ownedPartitions: [], generationId: 2 }),
      ],
      topics,
    );
    expect(counts(second)).toEqual([3, 3]);
    expect(flat(second.get('a'))).toEqual(flat(first.get('a')));
  });
});

describe('every assignor (property)', () => {
  const assignors: PartitionAssignor[] = [
    new RangeAssignor(),
    new RoundRobinAssignor(),
    new StickyAssignor(),
    new CooperativeStickyAssignor(),
  ];
  const TOPICS = ['a', 'b', 'c', 'd'];
  const groupArb = fc.record({
    partitions: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 4, maxLength: 4 }),
    subscriptions: fc.array(fc.subarray(TOPICS, { minLength: 1 }), { minLength: 1, maxLength: 7 }),
    owned: fc.array(fc.array(fc.integer({ min: 0, max: 47 }), { maxLength: 12 }), { maxLength: 7 }),
  });
  interface GroupShape {
    partitions: number[];
    subscriptions: string[][];
    owned: number[][];
  }
  const build = (g: GroupShape, withOwned: boolean) => {
    const partitionsPerTopic = new Map(TOPICS.map((t, i) => [t, g.partitions[i] ?? 1]));
    const members = g.subscriptions.map((topics, i) => {
      // Owned partitions as a previous round could have left them: random, sometimes contested.
      const owned = withOwned
        ? (g.owned[i] ?? []).map((n) => ({ topic: TOPICS[n % 4] ?? 'a', partitions: [Math.floor(n / 4)] }))
        : [];
      return member(`m${i}`, topics, { ownedPartitions: owned, generationId: 1 });
    });
    return { members, partitionsPerTopic };
  };

  it('assigns every partition of a subscribed topic to exactly one subscribed member', () => {
    fc.assert(
      fc.property(groupArb, fc.boolean(), (g, withOwned) => {
        const { members, partitionsPerTopic } = build(g, withOwned);
        const subscribed = new Set(members.flatMap((m) => m.subscription.topics));
        const expected = [...subscribed].flatMap((t) =>
          Array.from({ length: partitionsPerTopic.get(t) ?? 0 }, (_, p) => `${t}-${p}`),
        );
        for (const assignor of assignors) {
          const result = assignor.assign(members, partitionsPerTopic);
          expect([...result.keys()].sort()).toEqual(members.map((m) => m.memberId).sort());
          const assigned = [...result.values()].flatMap(flat);
          expect(new Set(assigned).size).toBe(assigned.length); // never twice
          for (const m of members) {
            for (const tp of result.get(m.memberId) ?? []) expect(m.subscription.topics).toContain(tp.topic);
          }
          // Cooperative-sticky may withhold moving partitions for one round; the others assign all.
          if (assignor.name !== 'cooperative-sticky' || !withOwned) {
            expect(assigned.sort()).toEqual(expected.sort());
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('balances within one when subscriptions are identical (round-robin and sticky)', () => {
    fc.assert(
      fc.property(groupArb, fc.boolean(), (g, withOwned) => {
        const same = { ...g, subscriptions: g.subscriptions.map(() => g.subscriptions[0] ?? ['a']) };
        const { members, partitionsPerTopic } = build(same, withOwned);
        for (const assignor of [new RoundRobinAssignor(), new StickyAssignor()]) {
          const c = counts(assignor.assign(members, partitionsPerTopic));
          expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('cooperative-sticky converges: the round after revocation assigns everything, balanced', () => {
    fc.assert(
      fc.property(groupArb, (g) => {
        const same = { ...g, subscriptions: g.subscriptions.map(() => g.subscriptions[0] ?? ['a']) };
        const { members, partitionsPerTopic } = build(same, true);
        const assignor = new CooperativeStickyAssignor();
        const first = assignor.assign(members, partitionsPerTopic);
        const next = members.map((m) =>
          member(m.memberId, [...m.subscription.topics], {
            ownedPartitions: first.get(m.memberId) ?? [],
            generationId: 2,
          }),
        );
        const second = assignor.assign(next, partitionsPerTopic);
        const total = [...new Set(members.flatMap((m) => m.subscription.topics))].reduce(
          (n, t) => n + (partitionsPerTopic.get(t) ?? 0),
          0,
        );
        const c = counts(second);
        expect(c.reduce((x, y) => x + y, 0)).toBe(total);
        expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
        for (const m of next)
          expect(flat(second.get(m.memberId))).toEqual(
            expect.arrayContaining(flat(m.subscription.ownedPartitions)),
          );
      }),
      { numRuns: 200 },
    );
  });
});

describe('leader assignment', () => {
  it('decodes subscriptions, assigns and encodes assignments', () => {
    const range = new RangeAssignor();
    const members = ['x', 'y'].map((memberId) => ({
      memberId,
      groupInstanceId: null,
      metadata: subscriptionMetadata(range, ['t']),
    }));
    const result = performAssignment(range, members, new Map([['t', 4]]));
    expect(result.map((r) => [r.memberId, decodeAssignment(r.assignment).assignedPartitions])).toEqual([
      ['x', [{ topic: 't', partitions: [0, 1] }]],
      ['y', [{ topic: 't', partitions: [2, 3] }]],
    ]);
  });
});
