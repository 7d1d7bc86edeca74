import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { countRecords } from '../server/broker/fetch/fetch';
import { Log } from '../server/broker/log/log';
import { partitionDir } from '../server/broker/topic-manager/partition-dirs';
import { toLogConfig } from '../server/broker/topics/topic-config';
import { measureLatency, servesGroups } from './support/e2e-latency';
import { emit, MiB, percentile, progress, seconds, syncDisks } from './support/measure';
import { startSluiceChild, type SluiceChild } from './support/sluice-child';
import { socketReceiveCpu } from './support/socket-floor';

/**
 * The Kafka door end to end, with librdkafka's kcat against Sluice run as an operator runs it
 * (`tsx server/main.ts`, a child process): 2,000,000 records of 100 B, then of 1 KiB, produced
 * from a file (`kcat -P -X acks=1`, librdkafka's default batching) and consumed back
 * (`kcat -C -e -o beginning` to /dev/null), timed as the kcat process's wall time; and the
 * end-to-end latency of a kafkajs producer to a consumer at 1,000 records/s for 30 s.
 *
 * The comparison is a bare `Log` in this process (no sockets, no actors) fed the same batches:
 * the batches kcat sent are read back from the stored log once Sluice has stopped, so sizes and
 * record counts are exactly kcat's, and appended one after the other until as many records as
 * kcat sent are in (a sample of up to 128 MiB of them, cycled, so that the same volume is
 * written), then read back in 1 MiB reads. Two ratios:
 * - broker_side_ratio (the one with the 0.7 target): the bare log's CPU time for those records
 *   over the Sluice process's CPU time (user + system, all threads, /proc) while kcat ran, i.e.
 *   what the broker spends per record against what the log alone spends. kcat itself is not in
 *   it: librdkafka's producer saturates one core of its own at these rates, so the wall-clock
 *   rate is bounded by the client. Beside it, the CPU a bare Node socket server spends only
 *   receiving the same bytes over loopback (node_socket_receive_cpu_s), and the ratio a broker
 *   would reach if framing, dispatch and answers cost nothing beyond that;
 * - wall_ratio: kcat's records/s (wall clock, client included) over the bare log's records/s.
 * The published Kafka figure (0.8, 2014 hardware) is printed for context, not as a claim.
 *
 * One JSON line per figure on stdout; progress on stderr. BENCH_QUICK=1 shrinks the volumes.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'out', `kafka-bench-${process.pid}`);
const QUICK = process.env.BENCH_QUICK === '1';
const RECORDS = QUICK ? 200_000 : 2_000_000;
const SIZES = [100, 1024] as const;
const LATENCY_RATE = 1_000;
const LATENCY_SECONDS = QUICK ? 5 : 30;
const KCAT = '/usr/bin/kcat';
const KAFKA_2014_RECORDS_PER_S = 821_557;
/** Distinct batches kept in memory for the bare-log run (then cycled to the same volume). */
const BARE_SAMPLE_BYTES = 128 * MiB;

const label = (size: number) => (size === 100 ? '100B' : '1KiB');
const topicFor = (size: number) => `kcat-${label(size)}`;

/** `count` records of `size` printable bytes, one per line (kcat -P's input). */
function writeRecordsFile(file: string, count: number, size: number): void {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let seed = 12345;
  const pool = Buffer.alloc(64 * 1024);
  for (let i = 0; i < pool.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    pool[i] = alphabet.charCodeAt((seed >>> 16) % alphabet.length);
  }
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(4 * MiB);
  let used = 0;
  for (let i = 0; i < count; i++) {
    if (used + size + 1 > chunk.length) {
      fs.writeSync(fd, chunk, 0, used);
      used = 0;
    }
    const from = (i * 7919) % (pool.length - size);
    used += pool.copy(chunk, used, from, from + size);
    chunk[used++] = 0x0a;
  }
  fs.writeSync(fd, chunk, 0, used);
  fs.closeSync(fd);
}

/** Runs kcat with stdin and stdout as given; resolves with its wall time and stderr. */
function timeKcat(args: string[], stdin: number | 'ignore', stdout: number | 'ignore') {
  return new Promise<{ seconds: number; stderr: string }>((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(KCAT, args, { stdio: [stdin, stdout, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const wall = seconds(start);
      clearTimeout(timer);
      if (code !== 0)
        reject(new Error(`kcat ${args.join(' ')}: ${signal ?? `exit ${code}`}: ${stderr.slice(-2000)}`));
      else resolve({ seconds: wall, stderr });
    });
  });
}

interface StoredBatches {
  records: number;
  batches: number;
  bytes: number;
  recordsPerBatch: number[];
  /** Copies of the first batches, up to BARE_SAMPLE_BYTES. */
  sample: Buffer[];
}

/** Walks the batches a partition holds (what kcat sent, as Sluice stored them). */
async function readStoredBatches(dir: string): Promise<StoredBatches> {
  const log = await Log.open(dir, toLogConfig({}));
  const out: StoredBatches = { records: 0, batches: 0, bytes: 0, recordsPerBatch: [], sample: [] };
  let sampleBytes = 0;
  try {
    for (let offset = log.logStartOffset; offset < log.logEndOffset;) {
      const { records } = log.read(offset, 8 * MiB);
      if (records.length === 0) break;
      for (let pos = 0; records.length - pos >= 61;) {
        const size = 12 + records.readInt32BE(pos + 8);
        if (pos + size > records.length) break;
        const batch = records.subarray(pos, pos + size);
        const base = Number(batch.readBigInt64BE(0));
        const count = batch.readInt32BE(57);
        if (base + batch.readInt32BE(23) >= offset) {
          out.records += count;
          out.batches++;
          out.bytes += size;
          out.recordsPerBatch.push(count);
          if (sampleBytes < BARE_SAMPLE_BYTES) {
            out.sample.push(Buffer.from(batch));
            sampleBytes += size;
          }
        }
        offset = base + batch.readInt32BE(23) + 1;
        pos += size;
      }
    }
  } finally {
    await log.close();
  }
  return out;
}

/** Appends the sample, cycled, until `records` are in; then reads it all back in 1 MiB reads. */
async function bareLog(dir: string, sample: Buffer[], records: number) {
  const log = await Log.open(dir, toLogConfig({}));
  try {
    let appended = 0;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; appended < records; i++) {
      const batch = sample[i % sample.length] as Buffer;
      await log.append(batch);
      appended += batch.readInt32BE(57);
    }
    const appendSeconds = seconds(start);
    const appendCpu = ownCpu(cpu);
    const readCpu = process.cpuUsage();
    const readStart = process.hrtime.bigint();
    let read = 0;
    for (let offset = 0; offset < log.logEndOffset;) {
      const { records: bytes } = log.read(offset, MiB);
      read += countRecords(bytes);
      let pos = 0;
      while (bytes.length - pos >= 61) {
        offset = Number(bytes.readBigInt64BE(pos)) + bytes.readInt32BE(pos + 23) + 1;
        pos += 12 + bytes.readInt32BE(pos + 8);
      }
    }
    return {
      appended,
      appendSeconds,
      appendCpu,
      read,
      readSeconds: seconds(readStart),
      readCpu: ownCpu(readCpu),
    };
  } finally {
    await log.close();
  }
}

interface KcatRun {
  size: number;
  produceSeconds: number;
  consumeSeconds: number;
  /** CPU seconds (user + system) of the Sluice process while kcat ran. */
  produceCpu: number;
  consumeCpu: number;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds a process has used so far (utime + stime of /proc/<pid>/stat, every thread). */
function processCpu(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds of this process (every thread) since `from`. */
function ownCpu(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

async function kcatRun(sluice: SluiceChild, size: number): Promise<KcatRun> {
  const topic = topicFor(size);
  const file = path.join(root, `records-${label(size)}.txt`);
  progress(`${label(size)}: writing ${RECORDS} records to ${path.basename(file)}`);
  writeRecordsFile(file, RECORDS, size);
  const kafka = new Kafka({ brokers: [sluice.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });

  progress(`${label(size)}: kcat -P`);
  syncDisks(); // each timed write starts from a clean page cache, the bare log's too
  const input = fs.openSync(file, 'r');
  const cpuBeforeProduce = processCpu(sluice.pid);
  const produce = await timeKcat(
    ['-P', '-b', sluice.bootstrap, '-t', topic, '-X', 'acks=1'],
    input,
    'ignore',
  ).finally(() => fs.closeSync(input));
  const produceCpu = processCpu(sluice.pid) - cpuBeforeProduce;
  const [offsets] = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  if (Number(offsets?.high) !== RECORDS)
    throw new Error(`${topic}: ${offsets?.high} records stored, not ${RECORDS}`);
  fs.rmSync(file);

  progress(`${label(size)}: kcat -C`);
  const devNull = fs.openSync('/dev/null', 'w');
  const cpuBeforeConsume = processCpu(sluice.pid);
  // Without -q, kcat says where it stopped: the check that it read everything.
  const consume = await timeKcat(
    ['-C', '-b', sluice.bootstrap, '-t', topic, '-e', '-o', 'beginning'],
    'ignore',
    devNull,
  ).finally(() => fs.closeSync(devNull));
  const consumeCpu = processCpu(sluice.pid) - cpuBeforeConsume;
  if (!consume.stderr.includes(`at offset ${RECORDS}`)) {
    throw new Error(`kcat -C did not reach offset ${RECORDS}: ${consume.stderr.slice(-500)}`);
  }
  return { size, produceSeconds: produce.seconds, consumeSeconds: consume.seconds, produceCpu, consumeCpu };
}

async function main(): Promise<void> {
  const [load1, load5] = os.loadavg();
  emit('kafka.bench.machine_load', load1 ?? NaN, 'load1', { load5: load5 ?? NaN, cpus: os.cpus().length });
  const dataDir = path.join(root, 'sluice');
  fs.mkdirSync(dataDir, { recursive: true });
  progress('starting Sluice (tsx server/main.ts --http-port 0 --kafka-port 0)');
  const sluice = await startSluiceChild(dataDir);
  const runs: KcatRun[] = [];
  let latency: Awaited<ReturnType<typeof measureLatency>> | undefined;
  try {
    // Latency first, from a clean page cache: the kernel writing back the gigabytes of the
    // throughput runs would stall the broker's synchronous appends (p99 30 ms in a run after them).
    const useGroups = await servesGroups(sluice.port);
    progress(
      `latency: ${LATENCY_RATE} records/s for ${LATENCY_SECONDS} s (${useGroups ? 'kafkajs group consumer' : 'raw Fetch consumer'})`,
    );
    syncDisks();
    latency = await measureLatency({
      bootstrap: sluice.bootstrap,
      port: sluice.port,
      topic: 'latency',
      ratePerSecond: LATENCY_RATE,
      seconds: LATENCY_SECONDS,
      useGroups,
    });
    for (const size of SIZES) runs.push(await kcatRun(sluice, size));
  } finally {
    await sluice.stop();
  }

  for (const run of runs) {
    const { size } = run;
    progress(`${label(size)}: the same batches appended to a bare Log`);
    const stored = await readStoredBatches(partitionDir(dataDir, topicFor(size), 0));
    const bareDir = path.join(root, `bare-${label(size)}`);
    syncDisks();
    const bare = await bareLog(bareDir, stored.sample, stored.records);
    fs.rmSync(bareDir, { recursive: true, force: true });
    const receiveFloor = await socketReceiveCpu(stored.sample, stored.bytes);
    const perBatch = stored.recordsPerBatch.sort((a, b) => a - b);
    const produceRate = RECORDS / run.produceSeconds;
    const bareAppendRate = bare.appended / bare.appendSeconds;
    // CPU per record, both sides (the bare run may append a few records more: a whole batch).
    const bareAppendCpu = (bare.appendCpu / bare.appended) * RECORDS;
    emit(`kafka.produce.kcat.${label(size)}`, produceRate, 'records/s', {
      MB_per_s: (RECORDS * size) / 1e6 / run.produceSeconds,
      kcat_wall_s: run.produceSeconds,
      records: RECORDS,
      broker_cpu_s: run.produceCpu,
      bare_log_append_cpu_s: bareAppendCpu,
      broker_side_ratio: bareAppendCpu / run.produceCpu,
      target_ratio: 0.7,
      broker_side_ratio_is: 'bare Log append CPU / Sluice process CPU while kcat produced, same batches',
      node_socket_receive_cpu_s: receiveFloor,
      ratio_ceiling_over_node_sockets: bareAppendCpu / (bareAppendCpu + receiveFloor),
      bare_log_append_records_per_s: bareAppendRate,
      wall_ratio: produceRate / bareAppendRate,
      kcat_batches: stored.batches,
      records_per_batch_p50: percentile(perBatch, 0.5),
      records_per_batch_min: perBatch[0] ?? NaN,
      records_per_batch_max: perBatch.at(-1) ?? NaN,
      batch_bytes_mean: stored.bytes / stored.batches,
      ...(size === 100 && {
        kafka_0_8_2014_records_per_s: KAFKA_2014_RECORDS_PER_S,
        kafka_2014_is:
          'published anchor (one producer, no replication, 2014 hardware): context, not a comparison',
      }),
      client: 'kcat -P -X acks=1 (librdkafka defaults), 1 partition',
    });
    const consumeRate = RECORDS / run.consumeSeconds;
    const bareReadRate = bare.read / bare.readSeconds;
    const bareReadCpu = (bare.readCpu / bare.read) * RECORDS;
    emit(`kafka.consume.kcat.${label(size)}`, consumeRate, 'records/s', {
      MB_per_s: (RECORDS * size) / 1e6 / run.consumeSeconds,
      kcat_wall_s: run.consumeSeconds,
      records: RECORDS,
      broker_cpu_s: run.consumeCpu,
      bare_log_read_cpu_s: bareReadCpu,
      broker_side_ratio: bareReadCpu / run.consumeCpu,
      bare_log_read_records_per_s: bareReadRate,
      wall_ratio: consumeRate / bareReadRate,
      note: 'kcat -e waits one fetch.wait.max.ms (500 ms) at the end to see that nothing more comes',
      client: 'kcat -C -e -o beginning > /dev/null',
    });
  }

  if (latency !== undefined) {
    const sorted = latency.latenciesMs.sort((a, b) => a - b);
    const common = {
      consumer: latency.consumer,
      producer: 'kafkajs, acks=1, one record per send',
      rate_per_s: LATENCY_RATE,
      seconds: LATENCY_SECONDS,
      sent: latency.sent,
      received: sorted.length,
    };
    emit('kafka.latency.e2e.p50', percentile(sorted, 0.5), 'ms', common);
    emit('kafka.latency.e2e.p99', percentile(sorted, 0.99), 'ms', {
      ...common,
      target_ms: 5,
      p999_ms: percentile(sorted, 0.999),
      max_ms: sorted.at(-1) ?? NaN,
    });
  }
}

try {
  await main();
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
