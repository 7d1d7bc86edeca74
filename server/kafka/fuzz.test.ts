/**
 * The Kafka door under fuzz: over 100,000 frames on about 3,000 connections (100 at a time) to a
 * real Broker behind the real listener, while a well-behaved client produces and consumes.
 *
 * Every frame is derived from a well-formed request of some generated API and version (raw
 * samples, and samples aimed at existing topics, partitions, groups and record batches of all five
 * codecs): pristine, or with bytes and bits flipped, string/bytes/array lengths lying (a little,
 * or up to 2^31-1 / 2^32-1), unknown API keys and versions, or its record batch damaged under a
 * recomputed CRC (record count, lengths, offsets, compressed payloads, zstd's declared size). Each
 * connection's pipelined burst of frames the broker must answer then ends with a malformed frame
 * (body truncated, a length lying, a frame size smaller than the frame, zero, negative or up to
 * 2^31-1, random garbage), an unfinished frame (cut, or a size announcing up to the 100 MiB
 * limit), or nothing; the client then ends the connection. An oracle built on the same decoders
 * (testing/fuzz-frames.ts) says which frames are answered and which connections must be closed.
 *
 * Checks: the answers arrive in order, all of them, or a prefix when the connection must close for
 * bad input or the broker closed it with requests still waiting after the client left (logged);
 * the broker closes every connection, a bad one with exactly one warning naming it; it never logs
 * an error; every broker call settles but the group waits (a hang detector); heap and RSS after a
 * GC, and peak RSS, stay within bounds; the well-behaved kafkajs producer and raw Fetch consumer
 * see no error and read back every record in order; a fresh ApiVersions + Metadata round trip
 * works at the end. FUZZ_SEED=<n> runs another sequence.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../broker/broker';
import { DEFAULT_MAX_REQUEST_BYTES } from './frame-decoder';
import type { KafkaBrokerServices } from './handler';
import { KAFKA_HANDLERS } from './handlers/index';
import { startBrokerListener, type BrokerListener } from './testing/broker-listener';
import { FuzzFrames, type ConnectionPlan } from './testing/fuzz-frames';
import { FUZZ_TOPICS } from './testing/fuzz-aim';
import { randomInt, rng } from './testing/fuzz-random';
import { buildFrameTemplates } from './testing/fuzz-templates';
import { RawKafkaClient } from './testing/raw-kafka-client';
import { rawRequest } from './testing/raw-request';
import { eventually } from './testing/test-listener';
import { startWellBehavedClient } from './testing/well-behaved-client';

const SEED = Number(process.env.FUZZ_SEED ?? 20251121);
const MIN_FRAMES = 100_000;
const WARM_UP_FRAMES = 5_000;
const CONCURRENCY = 100;
/** Broker calls that wait as long as the client asks (a rebalance, the leader's assignment). */
const LONG_WAITS = new Set(['joinGroup', 'syncGroup']);
/** A connection the broker has not closed by then is a hang. */
const CONNECTION_DEADLINE_MS = 20_000;
const GOOD_TOPIC = 'well-behaved-client-topic';
const MiB = 1024 * 1024;
/**
 * Memory bounds, against about 35 MB of frames sent and as much answered: heap and RSS after a GC
 * grow with the broker's own state (topics, groups, log lines kept by the test) and typically
 * stay near a third of these; one allocation from a lying length (200 MiB for a snappy block of 6
 * bytes, before the fix) breaks the RSS bounds.
 */
const MAX_HEAP_GROWTH = 32 * MiB;
const MAX_RSS_GROWTH = 128 * MiB;
const MAX_PEAK_RSS_GROWTH = 192 * MiB;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settledMemory(): NodeJS.MemoryUsage {
  gc();
  gc();
  return process.memoryUsage();
}

/**
 * Counts the broker calls the handlers make that have not settled yet, by method: after the fuzz
 * every call but the group waits must settle, or a handler (or the core) hangs.
 */
function pendingCalls() {
  const pending = new Map<string, number>();
  const wrap = (broker: Broker): KafkaBrokerServices =>
    new Proxy(broker, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        const name = String(prop);
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (!(result instanceof Promise)) return result;
          pending.set(name, (pending.get(name) ?? 0) + 1);
          const done = () => pending.set(name, (pending.get(name) ?? 1) - 1);
          result.then(done, done);
          return result;
        };
      },
    });
  const unsettled = () => [...pending].filter(([name, n]) => n > 0 && !LONG_WAITS.has(name));
  return { wrap, unsettled };
}

interface Outcome {
  readonly plan: ConnectionPlan;
  readonly client: string;
  readonly received: readonly number[];
  readonly hung: boolean;
}

async function runConnection(
  port: number,
  plan: ConnectionPlan,
  split: number | undefined,
): Promise<Outcome> {
  const c = await RawKafkaClient.connect(port);
  const client = `127.0.0.1:${c.socket.localPort ?? 0}`;
  if (split === undefined) c.send(plan.bytes);
  else {
    // Two writes a turn apart: frames and size prefixes split across reads.
    c.send(plan.bytes.subarray(0, split));
    await new Promise((r) => setImmediate(r));
    if (!c.isClosed) c.send(plan.bytes.subarray(split));
  }
  if (!c.isClosed) c.socket.end();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), CONNECTION_DEADLINE_MS);
  });
  const hung = await Promise.race([c.closed.then(() => false), deadline]);
  clearTimeout(timer);
  if (hung) c.close();
  return { plan, client, received: c.responses.map((r) => r.correlationId), hung };
}

function sameIds(received: readonly number[], expected: readonly number[], prefixOnly: boolean): boolean {
  if (prefixOnly ? received.length > expected.length : received.length !== expected.length) return false;
  return received.every((id, i) => id === expected[i]);
}

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe('Kafka listener fuzz', () => {
  it('100,000+ random and mutated frames: no crash, no hang, bounded memory, bad connections closed, a good client unaffected', async () => {
    const calls = pendingCalls();
    s = await startBrokerListener({ wrap: calls.wrap });
    const b = s;
    await b.broker.createTopic(GOOD_TOPIC, { partitions: 1 });
    for (const t of FUZZ_TOPICS) await b.broker.createTopic(t, { partitions: 3 });

    // ---- the well-behaved client: a kafkajs producer and a raw Fetch consumer, no retries
    const good = await startWellBehavedClient(b.bootstrap, b.port, GOOD_TOPIC);

    // ---- the fuzz
    const templates = buildFrameTemplates(SEED);
    const frames = new FuzzFrames({
      templates,
      handlers: KAFKA_HANDLERS,
      maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
      seed: SEED,
    });
    const next = rng(SEED + 1);
    const outcomes: Outcome[] = [];
    let planned = 0;
    let bytesSent = 0;
    const runUntil = async (limit: number) => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (planned < limit) {
            const plan = frames.connection(5 + randomInt(next, 56));
            planned += plan.frames;
            bytesSent += plan.bytes.length;
            const split = next() < 0.2 ? randomInt(next, plan.bytes.length) : undefined;
            outcomes.push(await runConnection(b.port, plan, split));
          }
        }),
      );
    };
    // Peak resident memory from the start: a transient allocation from a lying length shows here.
    const initial = settledMemory();
    let peakRss = initial.rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 10);
    let before: NodeJS.MemoryUsage;
    try {
      await runUntil(WARM_UP_FRAMES);
      // What stays after a GC is compared with the state after a warm-up (JIT, pools, buffers).
      before = settledMemory();
      await runUntil(MIN_FRAMES);
    } finally {
      clearInterval(sampler);
    }
    const goodResult = await good.stop();
    await eventually(() => b.listener.stats().connections === 0, 'every connection closed', 10_000);
    const after = settledMemory();

    // ---- every connection answered as the oracle says, and closed by the broker
    const hung = outcomes.filter((o) => o.hung);
    expect(
      hung.map(
        (o) =>
          `${o.client} (${o.plan.ending}, ${o.plan.terminator}): ${o.received.length} of ${o.plan.expected.length} answers; requests ${o.plan.apis.join(', ')}`,
      ),
    ).toEqual([]);
    // A client that ends its connection gets the answers of requests that heed the signal;
    // requests still waiting after the grace (a JoinGroup in a rebalance) are dropped and logged.
    const abandonedByClient = new Map<string, string[]>();
    for (const l of b.logs) {
      if (l.level === 30 && l.msg.startsWith('Kafka client ended the connection; closing it without')) {
        const client = String(l['client']);
        abandonedByClient.set(client, [
          ...(abandonedByClient.get(client) ?? []),
          ...(l['pending'] as string[]),
        ]);
      }
    }
    const wrong = outcomes.filter(
      (o) =>
        !sameIds(o.received, o.plan.expected, o.plan.ending === 'closes' || abandonedByClient.has(o.client)),
    );
    expect(
      wrong.slice(0, 5).map((o) => ({
        client: o.client,
        ending: o.plan.ending,
        terminator: o.plan.terminator,
        expected: o.plan.expected.length,
        received: o.received.length,
      })),
    ).toEqual([]);

    // ---- one warning per connection closed for bad input, naming it; nothing at error level
    const closesByClient = new Map<string, number>();
    for (const l of b.logs) {
      if (l.level === 40 && l.msg.startsWith('closing Kafka connection from')) {
        const client = String(l['client']);
        closesByClient.set(client, (closesByClient.get(client) ?? 0) + 1);
      }
    }
    const badByClient = new Map<string, number>();
    for (const o of outcomes) {
      if (o.plan.ending === 'closes') badByClient.set(o.client, (badByClient.get(o.client) ?? 0) + 1);
    }
    expect(closesByClient).toEqual(badByClient);
    expect(b.errors()).toEqual([]);
    // Requests left running when their client went (a JoinGroup in a rebalance, admin requests
    // queued behind each other) still finish: every broker call but the group waits settles.
    await eventually(() => calls.unsettled().length === 0, 'every broker call to settle', 30_000).catch(() =>
      expect(calls.unsettled()).toEqual([]),
    );
    const abandonedApis = new Map<string, number>();
    for (const api of [...abandonedByClient.values()].flat()) {
      const name = api.split(' ')[0] ?? api;
      abandonedApis.set(name, (abandonedApis.get(name) ?? 0) + 1);
    }

    // ---- the good client saw no error and read back everything it wrote, in order
    expect(goodResult.errors).toEqual([]);
    expect(goodResult.produced).toBeGreaterThan(0);
    expect(goodResult.consumed).toBe(goodResult.produced);

    // ---- still serving: a fresh well-formed ApiVersions + Metadata round trip
    const versions = await rawRequest(b.port, 'ApiVersions', 3, {
      clientSoftwareName: 'fuzz-check',
      clientSoftwareVersion: '1',
    });
    expect(versions.errorCode).toBe(0);
    const metadata = await rawRequest(b.port, 'Metadata', 12, {
      topics: null,
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(metadata.topics.find((t) => t.name === GOOD_TOPIC)?.errorCode).toBe(0);

    // ---- the numbers
    const stats = b.listener.stats();
    const sent = outcomes.reduce((n, o) => n + o.plan.frames, 0);
    const endings = { clean: 0, closes: 0, incomplete: 0 };
    for (const o of outcomes) endings[o.plan.ending]++;
    const mutatedAnswered = outcomes.reduce((n, o) => n + o.plan.mutatedAnswered, 0);
    const heapGrowth = after.heapUsed - before.heapUsed;
    const rssGrowth = after.rss - before.rss;
    console.info(
      JSON.stringify({
        seed: SEED,
        framesReadByBroker: sent,
        mutatedFramesAnswered: mutatedAnswered,
        bytesSent,
        connections: outcomes.length,
        endings,
        closedForBadInput: [...closesByClient.values()].reduce((a, n) => a + n, 0),
        closedWithRequestsStillWaiting: {
          connections: abandonedByClient.size,
          apis: Object.fromEntries(abandonedApis),
        },
        brokerRejected: stats.rejected,
        brokerRequests: Object.values(stats.requests).reduce((a, n) => a + n, 0),
        handlerErrors: stats.handlerErrors,
        goodRecords: goodResult.consumed,
        topics: Object.fromEntries(b.broker.listTopics().map((t) => [t.name, t.partitions])),
        heapMiB: { before: before.heapUsed / MiB, after: after.heapUsed / MiB },
        rssMiB: {
          initial: initial.rss / MiB,
          peak: peakRss / MiB,
          afterWarmUp: before.rss / MiB,
          after: after.rss / MiB,
        },
        mutations: Object.fromEntries(frames.tally),
      }),
    );
    expect(sent).toBeGreaterThanOrEqual(MIN_FRAMES);
    expect(endings.closes).toBeGreaterThan(outcomes.length / 2);
    expect(stats.rejected).toBeGreaterThanOrEqual(endings.closes);
    expect(heapGrowth).toBeLessThan(MAX_HEAP_GROWTH);
    expect(rssGrowth).toBeLessThan(MAX_RSS_GROWTH);
    expect(peakRss - initial.rss).toBeLessThan(MAX_PEAK_RSS_GROWTH);
  });
});
