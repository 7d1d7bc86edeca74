import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Broker } from '../server/broker/broker';
import { countRecords } from '../server/broker/fetch/fetch';
import { Log } from '../server/broker/log/log';
import { encodeRecordBatch } from '../server/broker/log/record-batch';
import { toLogConfig } from '../server/broker/topics/topic-config';
import { emit, MiB, percentile, progress } from './support/measure';

/**
 * The broker core against the bare partition log, in the same run: produce and fetch throughput
 * through the Broker API (actors, producer state, metrics, long-poll bookkeeping included) with
 * 1, 8 and 64 partitions, against appending to and reading from as many bare `Log`s with the same
 * concurrency (one batch in flight per partition); RSS with 1,000 partitions open (child
 * process); and the time from a crash injection to the partition serving again.
 *
 * One JSON line per figure on stdout; progress on stderr. BENCH_QUICK=1 shrinks the volumes.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'out', `broker-bench-${process.pid}`);
const QUICK = process.env.BENCH_QUICK === '1';
const RECORDS_PER_BATCH = 1_000;
const VALUE_BYTES = 100;
const BATCHES = QUICK ? 64 : 640;
const ROUNDS = QUICK ? 1 : 3;
const CRASHES = QUICK ? 10 : 50;
/** The data is read back this many times: one pass alone takes a few milliseconds from the page cache. */
const FETCH_PASSES = QUICK ? 1 : 10;

const now = () => Number(process.hrtime.bigint()) / 1e9;

function freshDir(name: string): string {
  const dir = path.join(root, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function batchFor(seed: number): Buffer {
  return encodeRecordBatch(
    Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({
      key: null,
      value: Buffer.alloc(VALUE_BYTES, (seed + i) & 0xff),
    })),
  );
}

interface Run {
  produceSeconds: number;
  fetchSeconds: number;
  records: number;
  fetched: number;
}

/** One batch in flight per partition, BATCHES in total; then everything read back. */
async function bareRun(dir: string, partitions: number): Promise<Run> {
  const config = toLogConfig({});
  const logs = await Promise.all(
    Array.from({ length: partitions }, (_, p) => Log.open(path.join(dir, `bench-${p}`), config)),
  );
  const per = Math.ceil(BATCHES / partitions);
  const start = now();
  await Promise.all(
    logs.map(async (log, p) => {
      const batch = batchFor(p);
      for (let i = 0; i < per; i++) await log.append(batch);
    }),
  );
  const produceSeconds = now() - start;
  const readStart = now();
  let fetched = 0;
  for (let pass = 0; pass < FETCH_PASSES; pass++) fetched += bareFetchPass(logs);
  const fetchSeconds = now() - readStart;
  await Promise.all(logs.map((log) => log.close()));
  return { produceSeconds, fetchSeconds, records: per * partitions * RECORDS_PER_BATCH, fetched };
}

/** A consumer of every log: 1 MiB reads, a round over the partitions at a time, offset 0 to the end. */
function bareFetchPass(logs: Log[]): number {
  let fetched = 0;
  const offsets = logs.map(() => 0);
  for (let active = true; active;) {
    active = false;
    // One read per partition per round, held until the round ends, as a fetch response holds
    // its partitions' data until it is consumed: the same allocation pattern on both sides.
    const round: Buffer[] = [];
    logs.forEach((log, p) => {
      if ((offsets[p] as number) >= log.logEndOffset) return;
      const read = log.read(offsets[p] as number, MiB);
      round.push(read.records);
      offsets[p] = lastOffsetAfter(read.records, offsets[p] as number);
      active = true;
    });
    for (const records of round) fetched += countRecords(records);
  }
  return fetched;
}

/** The same through Fetch requests for all partitions, 1 MiB per partition. */
async function brokerFetchPass(broker: Broker, partitions: number): Promise<number> {
  let fetched = 0;
  const offsets = Array.from({ length: partitions }, () => 0);
  for (;;) {
    const response = await broker.fetch({
      partitions: offsets.map((offset, p) => ({ topic: 'bench', partition: p, offset, maxBytes: MiB })),
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 64 * MiB,
    });
    let done = true;
    response.partitions.forEach((r, p) => {
      fetched += countRecords(r.records);
      offsets[p] = lastOffsetAfter(r.records, offsets[p] as number);
      if ((offsets[p] as number) < r.highWatermark) done = false;
    });
    if (done) return fetched;
  }
}

function lastOffsetAfter(records: Buffer, fallback: number): number {
  let next = fallback;
  for (let pos = 0; records.length - pos >= 61;) {
    next = Number(records.readBigInt64BE(pos)) + records.readInt32BE(pos + 23) + 1;
    pos += 12 + records.readInt32BE(pos + 8);
  }
  return next;
}

async function brokerRun(dir: string, partitions: number): Promise<Run> {
  const broker = new Broker({ dataDir: dir, requestTimeoutMs: 120_000 });
  await broker.start();
  await broker.createTopic('bench', { partitions });
  const per = Math.ceil(BATCHES / partitions);
  const start = now();
  await Promise.all(
    Array.from({ length: partitions }, async (_, p) => {
      const batch = batchFor(p);
      for (let i = 0; i < per; i++) await broker.produce('bench', p, batch, { acks: 1 });
    }),
  );
  const produceSeconds = now() - start;
  const readStart = now();
  let fetched = 0;
  for (let pass = 0; pass < FETCH_PASSES; pass++) fetched += await brokerFetchPass(broker, partitions);
  const fetchSeconds = now() - readStart;
  await broker.stop();
  return { produceSeconds, fetchSeconds, records: per * partitions * RECORDS_PER_BATCH, fetched };
}

function best(runs: Run[], key: 'produceSeconds' | 'fetchSeconds'): Run {
  return runs.reduce((a, b) => (b[key] < a[key] ? b : a));
}

async function throughputFigures(): Promise<void> {
  // Untimed: JIT warm-up of both code paths, so that whichever runs first is not penalised.
  progress('warm-up');
  await bareRun(freshDir('warm-bare'), 8);
  await brokerRun(freshDir('warm-broker'), 8);
  for (const partitions of [1, 8, 64]) {
    const bare: Run[] = [];
    const ours: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so that neither always inherits the other's page cache state.
      const order = round % 2 === 0 ? (['bare', 'broker'] as const) : (['broker', 'bare'] as const);
      for (const which of order) {
        progress(`${partitions} partitions, round ${round + 1}: ${which === 'bare' ? 'bare Log' : 'Broker'}`);
        const dir = freshDir(`${which}-${partitions}-${round}`);
        if (which === 'bare') bare.push(await bareRun(dir, partitions));
        else ours.push(await brokerRun(dir, partitions));
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    for (const [what, key] of [
      ['produce', 'produceSeconds'],
      ['fetch', 'fetchSeconds'],
    ] as const) {
      const b = best(bare, key);
      const o = best(ours, key);
      const count = (r: Run) => (what === 'produce' ? r.records : r.fetched);
      const oursRate = count(o) / o[key];
      const bareRate = count(b) / b[key];
      emit(`broker.${what}.${partitions}_partitions`, oursRate, 'records/s', {
        bare_log_records_per_s: bareRate,
        ratio_to_bare_log: oursRate / bareRate,
        ...(partitions === 8 && what === 'produce' ? { target_ratio: 0.8 } : {}),
        records: count(o),
        batch: `${RECORDS_PER_BATCH} x ${VALUE_BYTES} B`,
        best_of: ROUNDS,
      });
    }
  }
}

function rssFigure(): void {
  progress('RSS with 1,000 partitions (child process)');
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', path.join(here, 'support', 'broker-rss-child.ts'), freshDir('rss')],
    { encoding: 'utf8', maxBuffer: 16 * MiB },
  );
  if (result.status !== 0) throw new Error(`rss child failed: ${result.stderr}`);
  const r = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
  const mib = (v: number | undefined) => (v ?? NaN) / MiB;
  emit('broker.rss.1000_partitions', mib(r.written), 'MiB', {
    process_before_broker_MiB: mib(r.before),
    partitions_open_MiB: mib(r.opened),
    after_restart_MiB: mib(r.reopened),
    partitions: r.partitions ?? NaN,
    target_MiB: 300,
  });
}

async function crashFigure(): Promise<void> {
  progress(`crash to serving, ${CRASHES} crashes`);
  const broker = new Broker({
    dataDir: freshDir('crash'),
    faultInjection: true,
    partitionSupervision: { maxRestarts: 100_000, backoff: null },
  });
  await broker.start();
  await broker.createTopic('crash', { partitions: 1 });
  const batch = batchFor(1);
  for (let i = 0; i < 100; i++) await broker.produce('crash', 0, batch, { acks: 1 });
  const times: number[] = [];
  for (let i = 0; i < CRASHES; i++) {
    const start = now();
    broker.faults.crash('/broker/topics/crash/0');
    await broker.listOffsets('crash', 0, 'latest');
    times.push((now() - start) * 1000);
  }
  await broker.stop();
  times.sort((a, b) => a - b);
  emit('broker.crash_to_serving.p50', percentile(times, 0.5), 'ms', {
    crashes: CRASHES,
    log_MiB: (100 * batch.length) / MiB,
    what: 'crash injected -> log closed, reopened, producer state rebuilt -> ListOffsets answered; backoff off',
    default_backoff_adds_ms: '100 (first restart), doubling to 5000',
  });
  emit('broker.crash_to_serving.p99', percentile(times, 0.99), 'ms', {
    crashes: CRASHES,
    max_ms: times.at(-1) ?? NaN,
  });
}

const [load1, load5] = os.loadavg();
emit('broker.bench.machine_load', load1 ?? NaN, 'load1', { load5: load5 ?? NaN, cpus: os.cpus().length });
const only = process.env.BENCH_ONLY; // throughput | rss | crash, for a partial run
try {
  if (only === undefined || only === 'throughput') await throughputFigures();
  if (only === undefined || only === 'rss') rssFigure();
  if (only === undefined || only === 'crash') await crashFigure();
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
