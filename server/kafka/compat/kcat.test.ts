/**
 * Compatibility matrix: kcat (librdkafka) against a real Broker. `-P` with Java's murmur2
 * partitioner, `-C` to the end, two `-G` balanced consumers that split the partitions and one
 * that takes over when the other is killed (session expiry), `-L` metadata, `-Q` offsets for a
 * timestamp. Every kcat is bounded by a deadline and killed after each test.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../broker/partitioner/murmur2';
import type { BrokerListener } from '../testing/broker-listener';
import {
  committedOffsets,
  endOffsets,
  expectAllOnMurmur2,
  expectOneSplit,
  expectPartitionsSplit,
  keyedRecords,
  lastRebalanceId,
  PARTITIONS,
  RECORDS,
  rebalancesOf,
  startCompatBroker,
  waitForStable,
  waitUntil,
  type ConsumedRecord,
} from '../testing/group-checks';
import { KCAT, kcatConsumeAll, kcatProduceKeyed } from '../testing/kcat';
import { runOk } from '../testing/run-process';
import { killAllSpawned, Spawned } from '../testing/spawned';

const TOPIC = 'kcat-matrix';
const GROUP = 'kcat-group';

let s: BrokerListener;

beforeAll(async () => {
  s = await startCompatBroker();
  await s.broker.createTopic(TOPIC, { partitions: PARTITIONS });
});

afterEach(killAllSpawned);

afterAll(async () => {
  await s.stop();
});

/** A `kcat -G` member printing `partition:offset:key:value` lines; assignments go to stderr. */
function groupMember(name: string): Spawned {
  return new Spawned(
    KCAT,
    [
      // -u: unbuffered output, so that each record is seen as it is read (a pipe is block-buffered)
      '-u',
      '-b',
      s.bootstrap,
      '-G',
      GROUP,
      '-X',
      'session.timeout.ms=3000',
      '-X',
      'heartbeat.interval.ms=300',
      '-X',
      'auto.commit.interval.ms=200',
      '-X',
      'auto.offset.reset=earliest',
      '-X',
      'partition.assignment.strategy=range',
      '-f',
      '%p:%o:%k:%s\\n',
      TOPIC,
    ],
    { name, timeoutMs: 90_000 },
  );
}

function records(member: Spawned): ConsumedRecord[] {
  return member.stdoutLines
    .filter((l) => l.includes(':'))
    .map((line) => {
      const [p, o, k, v] = line.split(':');
      return { partition: Number(p), offset: Number(o), key: k ?? '', value: v ?? '' };
    });
}

/** The partitions of the member's latest assignment, from kcat's "rebalanced ... assigned:" lines. */
function assigned(member: Spawned): number[] | undefined {
  const last = member.stderrLines.filter((l) => /rebalanced .*: (assigned|revoked):/.test(l)).at(-1);
  if (last === undefined || !last.includes('assigned:')) return undefined;
  return [...last.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

describe('kcat (librdkafka)', () => {
  it('-P writes 10,000 keyed records (murmur2) and -C reads them back; -Q finds offsets by timestamp', async () => {
    const produced = keyedRecords('kcat');
    await kcatProduceKeyed(
      s.bootstrap,
      TOPIC,
      produced.map((r) => `${r.key}:${r.value}`),
    );
    const boundary = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    const ends = await endOffsets(s.broker, TOPIC);
    expect(ends.reduce((x, y) => x + y, 0)).toBe(RECORDS);
    expectAllOnMurmur2(await kcatConsumeAll(s.bootstrap, TOPIC, 30_000), produced);

    // -Q: the first offset at or after a timestamp; past the last record, the end offset.
    const query = (ts: number) =>
      runOk(KCAT, ['-Q', '-J', '-b', s.bootstrap, ...ends.flatMap((_, p) => ['-t', `${TOPIC}:${p}:${ts}`])]);
    const offsetsAt = async (ts: number) => {
      const out = JSON.parse((await query(ts)).stdout) as Record<string, Record<string, { offset: number }>>;
      return ends.map((_, p) => out[TOPIC]?.[String(p)]?.offset);
    };
    expect(await offsetsAt(0)).toEqual([0, 0, 0, 0]);
    await kcatProduceKeyed(s.bootstrap, TOPIC, ['late:late']);
    // Only the partition of "late" has a record after the boundary: there -Q finds it; the others
    // have none (-1, as Kafka answers).
    const late = partitionForKey(Buffer.from('late'), PARTITIONS);
    expect(await offsetsAt(boundary)).toEqual(ends.map((end, p) => (p === late ? end : -1)));
    expect(s.errors()).toEqual([]);
  });

  it('-G: one member reads all and commits; a second splits the partitions; kill one, the other takes over', async () => {
    const a = groupMember('kcat member 1');
    const total = () => RECORDS + 1;
    await a.waitFor('every record read', () => records(a).length >= total(), 60_000);
    expect(assigned(a)).toEqual([0, 1, 2, 3]);
    const ends = await endOffsets(s.broker, TOPIC);
    await waitUntil('offsets committed up to the end', async () =>
      (await committedOffsets(s.broker, GROUP, TOPIC)).every((c, p) => c === ends[p]),
    );
    await waitForStable(s.broker, GROUP, 1, 0);
    const before = lastRebalanceId(s.broker, GROUP);

    const b = groupMember('kcat member 2');
    await waitForStable(s.broker, GROUP, 2, before);
    const split = expectOneSplit(s.broker, GROUP, TOPIC, before);
    await b.waitFor('its assignment', () => assigned(b) !== undefined);
    await a.waitFor('its new assignment', () => (assigned(a)?.length ?? PARTITIONS) < PARTITIONS);
    const mine = [assigned(a) ?? [], assigned(b) ?? []];
    expectPartitionsSplit(mine);
    expect([...split.values()].sort()).toEqual([...mine].sort());

    // New records go to the owner of their partition; b starts from the group's commits.
    const more = keyedRecords('kcat-more', 200, RECORDS);
    await kcatProduceKeyed(
      s.bootstrap,
      TOPIC,
      more.map((r) => `${r.key}:${r.value}`),
    );
    const fresh = (m: Spawned) => records(m).filter((r) => r.value.startsWith('kcat-more'));
    await a.waitFor('the new records read', () => fresh(a).length + fresh(b).length >= more.length);
    expect(records(b).filter((r) => !r.value.startsWith('kcat-more'))).toEqual([]);
    expect([...new Set(fresh(b).map((r) => r.partition))].sort()).toEqual(mine[1]);
    expectAllOnMurmur2([...fresh(a), ...fresh(b)], more);

    // SIGKILL: no LeaveGroup; the session expires and the survivor gets every partition.
    const beforeKill = lastRebalanceId(s.broker, GROUP);
    b.kill('SIGKILL');
    await a.waitFor('every partition again', () => assigned(a)?.length === PARTITIONS, 30_000);
    const takeover = rebalancesOf(s.broker, GROUP, beforeKill);
    expect(takeover.map((r) => r.reason)).toEqual(['session-expired']);
    expect(takeover[0]?.removedMembers.map((m) => m.cause)).toEqual(['session-expired']);
    const last = keyedRecords('kcat-last', 100, RECORDS + 200);
    await kcatProduceKeyed(
      s.bootstrap,
      TOPIC,
      last.map((r) => `${r.key}:${r.value}`),
    );
    const lastRead = () => records(a).filter((r) => r.value.startsWith('kcat-last'));
    await a.waitFor('the last records read', () => lastRead().length >= last.length);
    expectAllOnMurmur2(lastRead(), last);
    expect(s.errors()).toEqual([]);
  });

  it('-L lists the broker, the topic and the internal topics as Kafka does', async () => {
    const { stdout } = await runOk(KCAT, ['-L', '-J', '-b', s.bootstrap], { timeoutMs: 15_000 });
    const listing = JSON.parse(stdout) as {
      brokers: { id: number; name: string }[];
      topics: { topic: string; partitions: { partition: number; leader: number }[] }[];
    };
    expect(listing.brokers).toEqual([{ id: 0, name: s.bootstrap }]);
    const topics = new Map(listing.topics.map((t) => [t.topic, t.partitions.length]));
    expect(topics.get(TOPIC)).toBe(PARTITIONS);
    expect(topics.has('__consumer_offsets')).toBe(true);
  });
});
