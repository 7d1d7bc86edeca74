import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Broker } from '../server/broker/broker';
import { InProcessConsumer } from '../server/broker/client/in-process-consumer';
import { encodeRecordBatch } from '../server/broker/log/record-batch';
import { emit, MiB, percentile, progress } from './support/measure';

/**
 * Consumer groups: how long a rebalance takes when a member joins a group of 10 in-process
 * members reading 100 partitions (20 joins; the coordinator's record gives start to end, and the
 * wall clock from the join until every member holds its new assignment), the rate of offset
 * commits (one partition per commit, 1 and 64 in flight) against plain 1-record appends to a
 * topic at the same concurrency (the log's bound), and the memory of 1,000 groups (child
 * process RSS delta).
 *
 * A member learns that a rebalance started from its next heartbeat, so a rebalance lasts up to
 * one heartbeat interval plus the work; the figures are reported beside it.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'out', `groups-bench-${process.pid}`);
const QUICK = process.env.BENCH_QUICK === '1';
const HEARTBEAT_MS = 100;
const INITIAL_DELAY_MS = 200;
const JOINS = QUICK ? 5 : 20;
const COMMIT_SECONDS = QUICK ? 1 : 3;

const now = () => Number(process.hrtime.bigint()) / 1e6;

function freshDir(name: string): string {
  const dir = path.join(root, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function member(broker: Broker): InProcessConsumer {
  const consumer = new InProcessConsumer(broker, {
    groupId: 'bench',
    topics: ['wide'],
    assignors: ['range'],
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: HEARTBEAT_MS,
    autoCommitIntervalMs: 1_000,
    maxWaitMs: 500,
    autoOffsetReset: 'latest',
  });
  void consumer.run(() => undefined);
  return consumer;
}

const assigned = (c: InProcessConsumer) => c.assignment().reduce((n, tp) => n + tp.partitions.length, 0);

async function rebalanceFigure(): Promise<void> {
  progress(`rebalance: 10 members on 100 partitions, ${JOINS} joins`);
  const broker = new Broker({
    dataDir: freshDir('rebalance'),
    groups: { coordinator: { initialRebalanceDelayMs: INITIAL_DELAY_MS } },
  });
  await broker.start();
  await broker.groups.whenLoaded();
  await broker.createTopic('wide', { partitions: 100 });
  const members = Array.from({ length: 10 }, () => member(broker));
  await until(() => members.every((c) => assigned(c) === 10), '10 partitions each');
  const recorded: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < JOINS; i++) {
    const before = broker.rebalanceHistory({ limit: 1 })[0]?.id ?? 0;
    const start = now();
    const joining = member(broker);
    const all = [...members, joining];
    await until(
      () =>
        all.every((c) => c.generationId === joining.generationId && c.generationId > 0) &&
        all.reduce((n, c) => n + assigned(c), 0) === 100 &&
        all.every((c) => assigned(c) >= 9),
      'the new generation',
    );
    wall.push(now() - start);
    const record = broker.rebalanceHistory({ afterId: before }).find((r) => r.reason === 'member-joined');
    if (record) recorded.push(record.durationMs);
    await joining.close();
    await until(() => members.every((c) => assigned(c) === 10), 'back to 10 members');
  }
  await Promise.all(members.map((c) => c.close()));
  await broker.stop();
  recorded.sort((a, b) => a - b);
  wall.sort((a, b) => a - b);
  const common = {
    members: 10,
    partitions: 100,
    joins: JOINS,
    heartbeat_interval_ms: HEARTBEAT_MS,
    initial_rebalance_delay_ms: INITIAL_DELAY_MS,
    note: 'members learn of the rebalance on their next heartbeat; the initial delay applies to empty groups only',
  };
  emit('groups.rebalance_on_join.p50', percentile(recorded, 0.5), 'ms', {
    ...common,
    wall_p50_ms: percentile(wall, 0.5),
    beyond_heartbeat_interval_ms: percentile(recorded, 0.5) - HEARTBEAT_MS,
    target_beyond_ms: 50,
  });
  emit('groups.rebalance_on_join.p99', percentile(recorded, 0.99), 'ms', {
    ...common,
    wall_p99_ms: percentile(wall, 0.99),
    beyond_heartbeat_interval_ms: percentile(recorded, 0.99) - HEARTBEAT_MS,
    target_beyond_ms: 50,
  });
}

async function rate(inFlight: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let count = 0;
  const end = now() + COMMIT_SECONDS * 1000;
  const start = now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, lane) => {
      while (now() < end) {
        await op(lane);
        count++;
      }
    }),
  );
  return count / ((now() - start) / 1000);
}

async function commitFigure(): Promise<void> {
  progress(`commit throughput, ${COMMIT_SECONDS} s per figure`);
  const broker = new Broker({ dataDir: freshDir('commits') });
  await broker.start();
  await broker.groups.whenLoaded();
  await broker.createTopic('c', { partitions: 64 });
  await broker.createTopic('plain', { partitions: 1 });
  const batch = encodeRecordBatch([{ key: Buffer.from('key'), value: Buffer.alloc(80, 1) }]);
  for (const inFlight of [1, 64]) {
    let offset = 0;
    // One group per lane so that lanes are spread over the offsets partitions, as real groups are.
    const commits = await rate(inFlight, async (lane) => {
      const [result] = await broker.commitOffsets(`g${lane}`, '', -1, null, [
        { topic: 'c', partition: lane, offset: ++offset },
      ]);
      if (result?.error) throw result.error;
    });
    const appends = await rate(inFlight, () => broker.produce('plain', 0, Buffer.from(batch), { acks: -1 }));
    emit(`groups.commits.${inFlight}_in_flight`, commits, 'commits/s', {
      plain_1_record_appends_per_s: appends,
      what: 'OffsetCommit of one partition via the group actor, appended to __consumer_offsets before it resolves',
    });
  }
  await broker.stop();
}

function memoryFigure(): void {
  progress('memory of 1,000 groups (child process)');
  const result = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      path.join(here, 'support', 'groups-rss-child.ts'),
      freshDir('rss'),
      '1000',
    ],
    { encoding: 'utf8', maxBuffer: 16 * MiB },
  );
  if (result.status !== 0) throw new Error(`rss child failed: ${result.stderr}`);
  const r = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
  emit('groups.rss_per_1000_groups', ((r.after ?? NaN) - (r.before ?? NaN)) / MiB, 'MiB', {
    groups: r.groups ?? NaN,
    stable_groups_listed: r.listed ?? NaN,
    rss_before_MiB: (r.before ?? NaN) / MiB,
    rss_after_MiB: (r.after ?? NaN) / MiB,
    js_heap_MiB: (r.heapBytes ?? NaN) / MiB,
    of_which_lag_history_MiB: (r.historyBytes ?? NaN) / MiB,
    what: 'each group: an actor with its coordinator, one Stable member, a stored snapshot, one committed offset',
  });
}

const [load1, load5] = os.loadavg();
emit('groups.bench.machine_load', load1 ?? NaN, 'load1', { load5: load5 ?? NaN, cpus: os.cpus().length });
const only = process.env.BENCH_ONLY; // rebalance | commits | memory
try {
  if (!only || only === 'rebalance') await rebalanceFigure();
  if (!only || only === 'commits') await commitFigure();
  if (!only || only === 'memory') memoryFigure();
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
