import { afterEach, describe, expect, it } from 'vitest';
import { BrokerError } from '../broker/errors';
import { defineHandler, NO_RESPONSE, type AnyApiHandler } from './handler';
import { apiVersionsHandler } from './handlers/api-versions';
import {
  ApiKey,
  decodeHeartbeatResponse,
  decodeSyncGroupResponse,
  encodeHeartbeatRequest,
  encodeSyncGroupRequest,
} from './protocol/generated/index';
import { encodeRequestFrame } from './protocol/frame';
import { Reader } from './protocol/reader';
import { RawKafkaClient } from './testing/raw-kafka-client';
import { eventually, startTestListener, type TestListener } from './testing/test-listener';

interface Deferred {
  resolve(): void;
  promise: Promise<void>;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { resolve, promise };
}

/**
 * A Heartbeat handler whose requests wait on gates the test opens. The request's generationId
 * says what to do: its errorCode answer echoes it, so a response shows which request it is.
 */
function gatedHeartbeat() {
  const gates = new Map<number, Deferred>();
  let active = 0;
  let maxActive = 0;
  let calls = 0;
  const handler = defineHandler('Heartbeat', {
    minVersion: 0,
    maxVersion: 4,
    async handle(request) {
      calls++;
      active++;
      maxActive = Math.max(maxActive, active);
      const gate = deferred();
      gates.set(request.generationId, gate);
      try {
        await gate.promise;
      } finally {
        active--;
      }
      if (request.memberId === 'no-response') return NO_RESPONSE;
      if (request.memberId === 'broker-error') throw new BrokerError('NOT_COORDINATOR', 'moved');
      if (request.memberId === 'bug') throw new TypeError('a bug');
      return { errorCode: request.generationId };
    },
    errorResponse: (_request, errorCode) => ({ errorCode }),
  });
  return {
    handler,
    gates,
    open: (id: number) => gates.get(id)?.resolve(),
    get active() {
      return active;
    },
    get maxActive() {
      return maxActive;
    },
    get calls() {
      return calls;
    },
  };
}

function heartbeatFrame(correlationId: number, generationId: number, memberId = 'm'): Buffer {
  return Buffer.concat(
    encodeRequestFrame(
      { requestApiKey: ApiKey.Heartbeat, requestApiVersion: 0, correlationId, clientId: 'test' },
      (w) => encodeHeartbeatRequest(w, { groupId: 'g', generationId, memberId }, 0),
    ),
  );
}

function heartbeatError(body: Buffer): number {
  return decodeHeartbeatResponse(new Reader(body), 0).errorCode;
}

/** Whether `check` comes true within `ms` (false is an answer here, not a failure). */
async function within(ms: number, check: () => boolean): Promise<boolean> {
  return eventually(check, 'condition', ms).then(
    () => true,
    () => false,
  );
}

let t: TestListener | undefined;
const clients: RawKafkaClient[] = [];

async function setup(handlers: AnyApiHandler[], options: Parameters<typeof startTestListener>[0] = {}) {
  t = await startTestListener({ handlers, ...options });
  return t;
}

async function client(): Promise<RawKafkaClient> {
  const c = await RawKafkaClient.connect((t as TestListener).port);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await t?.listener.stop();
  t = undefined;
});

describe('pipelining and ordering', () => {
  it('answers in request order when later requests finish first', async () => {
    const hb = gatedHeartbeat();
    await setup([hb.handler]);
    const c = await client();
    c.send(Buffer.concat([0, 1, 2, 3, 4].map((i) => heartbeatFrame(100 + i, i))));
    // All five are dispatched before any is answered: the connection pipelines.
    await eventually(() => hb.active === 5, 'five concurrent requests');
    for (const i of [4, 3, 2, 1, 0]) hb.open(i);
    const responses = await c.waitForResponses(5);
    expect(responses.map((r) => r.correlationId)).toEqual([100, 101, 102, 103, 104]);
    expect(responses.map((r) => heartbeatError(r.body))).toEqual([0, 1, 2, 3, 4]);
  });

  it('writes nothing for NO_RESPONSE and keeps the order of the rest', async () => {
    const hb = gatedHeartbeat();
    await setup([hb.handler]);
    const c = await client();
    c.send(
      Buffer.concat([
        heartbeatFrame(1, 1),
        heartbeatFrame(2, 2, 'no-response'),
        heartbeatFrame(3, 3),
        heartbeatFrame(4, 4, 'no-response'),
        heartbeatFrame(5, 5),
      ]),
    );
    await eventually(() => hb.active === 5, 'five concurrent requests');
    for (const i of [5, 4, 3, 2, 1]) hb.open(i);
    const responses = await c.waitForResponses(3);
    expect(responses.map((r) => r.correlationId)).toEqual([1, 3, 5]);
    // A later request still gets its answer: nothing is waiting for the skipped ones.
    c.send(heartbeatFrame(6, 6));
    await eventually(() => hb.gates.has(6), 'request 6');
    hb.open(6);
    expect((await c.waitForResponses(4))[3]?.correlationId).toBe(6);
  });

  it('never runs more than maxInFlight requests of one connection at once', async () => {
    const hb = gatedHeartbeat();
    await setup([hb.handler], { maxInFlightPerConnection: 3 });
    const c = await client();
    const ids = Array.from({ length: 12 }, (_, i) => i);
    c.send(Buffer.concat(ids.map((i) => heartbeatFrame(i, i))));
    await eventually(() => hb.active === 3, 'three requests');
    // The other nine arrived in the same chunk but wait in the decoder.
    await new Promise((r) => setTimeout(r, 50));
    expect(hb.calls).toBe(3);
    for (const i of ids) {
      await eventually(() => hb.gates.has(i), `request ${i}`);
      expect(hb.active).toBeLessThanOrEqual(3);
      hb.open(i);
    }
    const responses = await c.waitForResponses(12);
    expect(responses.map((r) => r.correlationId)).toEqual(ids);
    expect(hb.maxActive).toBe(3);
  });

  it('keeps other connections going while one is at its cap', async () => {
    const hb = gatedHeartbeat();
    await setup([hb.handler, apiVersionsHandler], { maxInFlightPerConnection: 2 });
    const busy = await client();
    busy.send(Buffer.concat([1, 2, 3].map((i) => heartbeatFrame(i, i))));
    await eventually(() => hb.active === 2, 'two requests');
    const other = await client();
    other.request({ requestApiKey: ApiKey.ApiVersions, requestApiVersion: 0, correlationId: 9 });
    expect((await other.waitForResponses(1))[0]?.correlationId).toBe(9);
    for (const i of [1, 2, 3]) {
      await eventually(() => hb.gates.has(i), `request ${i}`);
      hb.open(i);
    }
    expect((await busy.waitForResponses(3)).map((r) => r.correlationId)).toEqual([1, 2, 3]);
  });

  it('stops reading while the client does not read its responses', async () => {
    // Every response carries the same 8 MiB buffer (by reference): a client that does not read
    // fills the socket buffers, and the connection must stop taking requests.
    const big = Buffer.alloc(8 * 1024 * 1024, 1);
    let calls = 0;
    const sync = defineHandler('SyncGroup', {
      minVersion: 0,
      maxVersion: 4,
      handle: () => {
        calls++;
        return Promise.resolve({ errorCode: 0, assignment: big });
      },
    });
    await setup([sync]);
    const c = await client();
    c.socket.pause();
    const n = 20;
    const send = (i: number) =>
      c.request({ requestApiKey: ApiKey.SyncGroup, requestApiVersion: 0, correlationId: i }, (w) =>
        encodeSyncGroupRequest(w, { groupId: 'g', generationId: 1, memberId: 'm', assignments: [] }, 0),
      );
    // One request at a time (requests that arrive together are dispatched together), until the
    // server stops taking them; then the rest at once.
    let sent = 0;
    while (sent < n) {
      send(sent++);
      if (!(await within(300, () => calls >= sent))) break;
    }
    while (sent < n) send(sent++);
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBeLessThan(n);
    c.socket.resume();
    const responses = await c.waitForResponses(n);
    expect(responses.map((r) => r.correlationId)).toEqual(Array.from({ length: n }, (_, i) => i));
    const last = decodeSyncGroupResponse(new Reader((responses[n - 1] as { body: Buffer }).body), 0);
    expect(last.assignment.length).toBe(big.length);
    expect(calls).toBe(n);
  });
});

describe('handler errors', () => {
  it('a BrokerError becomes its Kafka code, anything else UNKNOWN_SERVER_ERROR and a log line', async () => {
    const hb = gatedHeartbeat();
    const s = await setup([hb.handler]);
    const c = await client();
    c.send(
      Buffer.concat([
        heartbeatFrame(1, 1, 'broker-error'),
        heartbeatFrame(2, 2, 'bug'),
        heartbeatFrame(3, 3),
      ]),
    );
    await eventually(() => hb.active === 3, 'three requests');
    for (const i of [1, 2, 3]) hb.open(i);
    const responses = await c.waitForResponses(3);
    expect(responses.map((r) => heartbeatError(r.body))).toEqual([16, -1, 3]);
    expect(s.logs.some((l) => l.level === 50 && l.msg.includes('failed unexpectedly'))).toBe(true);
    expect(s.listener.stats().handlerErrors).toBe(2);
    expect(c.isClosed).toBe(false);
  });

  it('a handler without an error response that throws closes only its connection', async () => {
    const failing = defineHandler('Heartbeat', {
      minVersion: 0,
      maxVersion: 4,
      handle: () => Promise.reject(new Error('boom')),
    });
    const s = await setup([failing, apiVersionsHandler]);
    const c = await client();
    c.send(heartbeatFrame(1, 1));
    await c.closed;
    expect(c.responses).toHaveLength(0);
    const line = s.warnings().find((l) => l.msg.startsWith('closing Kafka connection'));
    expect(line?.msg).toContain('Heartbeat v0');
    expect(line?.msg).toContain('boom');
    const other = await client();
    other.request({ requestApiKey: ApiKey.ApiVersions, requestApiVersion: 0, correlationId: 2 });
    expect(await other.waitForResponses(1)).toHaveLength(1);
  });
});

describe('framing at the connection', () => {
  it.each([
    ['2 GiB - 1', 0x7fffffff],
    ['2 GiB (int32 overflow: negative)', -0x80000000],
    ['-1', -1],
    ['0', 0],
  ])('closes on a declared size of %s, logging the client address', async (_name, size) => {
    const s = await setup([apiVersionsHandler]);
    const c = await client();
    const address = `${c.socket.localAddress}:${c.socket.localPort}`;
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(size);
    const rssBefore = process.memoryUsage().arrayBuffers;
    c.send(prefix); // only the prefix: the connection must not wait for the bytes it announced
    await c.closed;
    expect(process.memoryUsage().arrayBuffers - rssBefore).toBeLessThan(64 * 1024 * 1024);
    const line = s.warnings().find((l) => l.msg.includes(address));
    expect(line?.msg).toMatch(size > 0 ? /exceeds socket\.request\.max\.bytes/ : /invalid frame size/);
    await eventually(() => s.listener.stats().connections === 0, 'connection count back to 0');
  });

  it('honours a configured maximum request size', async () => {
    const s = await setup([apiVersionsHandler], { maxRequestBytes: 64 });
    const ok = await client();
    ok.request({ requestApiKey: ApiKey.ApiVersions, requestApiVersion: 0, correlationId: 1 });
    expect(await ok.waitForResponses(1)).toHaveLength(1);
    const big = await client();
    big.request({
      requestApiKey: ApiKey.ApiVersions,
      requestApiVersion: 0,
      correlationId: 2,
      clientId: 'x'.repeat(80),
    });
    await big.closed;
    expect(big.responses).toHaveLength(0);
    expect(s.warnings().some((l) => l.msg.includes('exceeds socket.request.max.bytes (64)'))).toBe(true);
  });

  it('a truncated frame followed by the client closing leaves nothing behind', async () => {
    const s = await setup([apiVersionsHandler]);
    const c = await client();
    const frame = Buffer.concat(
      encodeRequestFrame(
        { requestApiKey: ApiKey.ApiVersions, requestApiVersion: 0, correlationId: 1 },
        () => undefined,
      ),
    );
    c.send(frame.subarray(0, frame.length - 3));
    c.socket.end();
    await c.closed;
    await eventually(() => s.listener.stats().connections === 0, 'connection count back to 0');
    expect(c.responses).toHaveLength(0);
    expect(s.warnings()).toHaveLength(0);
  });

  it('answers the requests of a client that half-closes after sending them', async () => {
    const s = await setup([apiVersionsHandler]);
    const c = await client();
    c.request({ requestApiKey: ApiKey.ApiVersions, requestApiVersion: 0, correlationId: 1 });
    c.request({ requestApiKey: ApiKey.ApiVersions, requestApiVersion: 1, correlationId: 2 });
    c.socket.end();
    await c.closed;
    expect(c.responses.map((r) => r.correlationId)).toEqual([1, 2]);
    await eventually(() => s.listener.stats().connections === 0, 'connection count back to 0');
  });

  it('a client that ends the connection ends the long waits of its requests, which are still answered', async () => {
    let aborted = 0;
    const waiting = defineHandler('Heartbeat', {
      minVersion: 0,
      maxVersion: 4,
      async handle(_request, ctx) {
        // Waits for the connection's signal only: without it this request never finishes.
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
        aborted++;
        return { errorCode: 0 };
      },
    });
    const s = await setup([waiting]);
    const c = await client();
    c.send(heartbeatFrame(1, 1));
    await eventually(() => s.listener.stats().requests.Heartbeat === 1, 'the request to arrive');
    c.socket.end();
    await c.closed;
    expect(aborted).toBe(1);
    expect(c.responses.map((r) => r.correlationId)).toEqual([1]);
    await eventually(() => s.listener.stats().connections === 0, 'connection count back to 0');
  }, 10_000);

  it('a client that ends the connection does not wait for handlers that ignore the signal', async () => {
    // Found by the Kafka listener fuzz: a JoinGroup waiting for its rebalance (up to a
    // client-chosen 2^31-1 ms) kept the connection of a client that had gone open.
    const gate = deferred();
    const stubborn = defineHandler('Heartbeat', {
      minVersion: 0,
      maxVersion: 4,
      async handle() {
        await gate.promise;
        return { errorCode: 0 };
      },
    });
    const s = await setup([apiVersionsHandler, stubborn], { clientEndGraceMs: 200 });
    const c = await client();
    c.request({ requestApiKey: ApiKey.ApiVersions, requestApiVersion: 0, correlationId: 1 });
    c.send(heartbeatFrame(2, 1));
    await eventually(() => s.listener.stats().requests.Heartbeat === 1, 'the request to arrive');
    c.socket.end();
    expect(await within(5_000, () => c.isClosed)).toBe(true);
    expect(c.responses.map((r) => r.correlationId)).toEqual([1]);
    await eventually(() => s.listener.stats().connections === 0, 'connection count back to 0');
    const line = s.logs.find((l) => l.msg.includes('without the answers of 1 request(s)'));
    expect(line?.msg).toContain('Heartbeat v0');
    expect(line?.level).toBe(30);
    gate.resolve();
  });

  it('closes on an unknown API key and on an API without a handler, naming it', async () => {
    const s = await setup([apiVersionsHandler]);
    const unknown = await client();
    unknown.request({ requestApiKey: 999, requestApiVersion: 0, correlationId: 1 });
    await unknown.closed;
    const unserved = await client();
    unserved.request({ requestApiKey: ApiKey.Metadata, requestApiVersion: 1, correlationId: 2 }, (w) =>
      w.writeInt32(-1),
    );
    await unserved.closed;
    const msgs = s.warnings().map((l) => l.msg);
    expect(msgs.some((m) => m.includes('api key 999 v0: unknown API key'))).toBe(true);
    expect(msgs.some((m) => m.includes('Metadata is not served'))).toBe(true);
    expect(s.listener.stats().rejected).toBe(2);
  });

  it('closes on an unsupported version of a served API', async () => {
    const hb = gatedHeartbeat();
    const s = await setup([
      defineHandler('Heartbeat', { minVersion: 1, maxVersion: 2, handle: hb.handler.handle }),
    ]);
    const c = await client();
    c.send(heartbeatFrame(1, 1)); // v0
    await c.closed;
    expect(
      s.warnings().some((l) => /Heartbeat v0: unsupported version \(this broker serves 1-2\)/.test(l.msg)),
    ).toBe(true);
    expect(hb.calls).toBe(0);
  });

  it('closes on a malformed body', async () => {
    const hb = gatedHeartbeat();
    const s = await setup([hb.handler]);
    const c = await client();
    c.request({ requestApiKey: ApiKey.Heartbeat, requestApiVersion: 0, correlationId: 1 }, (w) =>
      w.writeInt16(500),
    );
    await c.closed;
    expect(s.warnings().some((l) => l.msg.includes('malformed request: HeartbeatRequest.GroupId'))).toBe(
      true,
    );
    expect(hb.calls).toBe(0);
  });
});

describe('lifecycle', () => {
  it('closes connections idle past connections.max.idle.ms, but not while a request is in flight', async () => {
    const hb = gatedHeartbeat();
    const s = await setup([hb.handler], { connectionsMaxIdleMs: 100 });
    const busy = await client();
    busy.send(heartbeatFrame(1, 1));
    const idle = await client();
    await idle.closed;
    expect(s.logs.some((l) => l.msg.includes('idle for 100 ms'))).toBe(true);
    // The busy one has been quiet just as long, with a request in flight.
    expect(busy.isClosed).toBe(false);
    hb.open(1);
    expect(await busy.waitForResponses(1)).toHaveLength(1);
    await busy.closed; // then idle in its turn
  });

  it('stop() waits for in-flight requests and sends their responses', async () => {
    const hb = gatedHeartbeat();
    const s = await setup([hb.handler]);
    const c = await client();
    c.send(Buffer.concat([heartbeatFrame(1, 1), heartbeatFrame(2, 2)]));
    await eventually(() => hb.active === 2, 'two requests');
    const stopped = s.listener.stop();
    setTimeout(() => {
      hb.open(2);
      hb.open(1);
    }, 20);
    await stopped;
    await c.closed;
    expect(c.responses.map((r) => r.correlationId)).toEqual([1, 2]);
  });

  it('stop() drops connections whose requests outlast the shutdown timeout', async () => {
    const hb = gatedHeartbeat();
    const s = await setup([hb.handler], { shutdownTimeoutMs: 100 });
    const c = await client();
    c.send(heartbeatFrame(1, 1));
    await eventually(() => hb.active === 1, 'one request');
    await s.listener.stop();
    await c.closed;
    expect(c.responses).toHaveLength(0);
    expect(s.warnings().some((l) => l.msg.includes('still busy'))).toBe(true);
    hb.open(1);
  });

  it('counts connections and requests, and reports them to a metrics sink', async () => {
    const marks: Record<string, number> = {};
    const gauges: Record<string, number> = {};
    const s = await setup([apiVersionsHandler], {
      metrics: {
        apiRequests: (api) => ({ mark: (n = 1) => void (marks[api] = (marks[api] ?? 0) + n) }),
        gauge: (name) => ({ set: (v) => void (gauges[name] = v) }),
      },
    });
    const a = await client();
    const b = await client();
    a.request({ requestApiKey: ApiKey.ApiVersions, requestApiVersion: 0, correlationId: 1 });
    b.request({ requestApiKey: ApiKey.ApiVersions, requestApiVersion: 2, correlationId: 1 });
    await a.waitForResponses(1);
    await b.waitForResponses(1);
    expect(s.listener.stats()).toMatchObject({
      connections: 2,
      connectionsAccepted: 2,
      requests: { ApiVersions: 2 },
    });
    expect(marks).toEqual({ ApiVersions: 2 });
    expect(gauges.connections).toBe(2);
    a.close();
    await eventually(() => gauges.connections === 1, 'gauge at 1');
    expect(s.listener.stats().connections).toBe(1);
  });
});
