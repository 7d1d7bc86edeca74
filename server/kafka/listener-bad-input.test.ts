/**
 * Garbage on many connections at once never crashes the listener, never leaves a connection
 * behind, and never delays a well-behaved client on another connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRequestFrame } from './protocol/frame';
import { ApiKey, encodeApiVersionsRequest, encodeHeartbeatRequest } from './protocol/generated/index';
import { RawKafkaClient } from './testing/raw-kafka-client';
import { eventually, startTestListener, type TestListener } from './testing/test-listener';

/** mulberry32: a seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function validFrames(): Buffer[] {
  const frames: Buffer[] = [];
  for (const v of [0, 1, 2, 3]) {
    frames.push(
      Buffer.concat(
        encodeRequestFrame(
          { requestApiKey: ApiKey.ApiVersions, requestApiVersion: v, correlationId: v, clientId: 'fuzz' },
          (w) => encodeApiVersionsRequest(w, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }, v),
        ),
      ),
    );
  }
  frames.push(
    Buffer.concat(
      encodeRequestFrame({ requestApiKey: ApiKey.Heartbeat, requestApiVersion: 0, correlationId: 9 }, (w) =>
        encodeHeartbeatRequest(w, { groupId: 'g', generationId: 1, memberId: 'm' }, 0),
      ),
    ),
  );
  return frames;
}

function garbage(next: () => number, frames: Buffer[]): Buffer {
  const int = (n: number) => Math.floor(next() * n);
  const kind = int(4);
  if (kind === 0) {
    // Random bytes.
    return Buffer.from(Array.from({ length: 1 + int(2000) }, () => int(256)));
  }
  if (kind === 1) {
    // A plausible size, then random bytes of that size.
    const size = 1 + int(300);
    const b = Buffer.from(Array.from({ length: 4 + size }, () => int(256)));
    b.writeInt32BE(size, 0);
    return b;
  }
  // Valid frames, some bytes mutated (size prefix included), sometimes truncated.
  const picked = Array.from({ length: 1 + int(4) }, () => frames[int(frames.length)] as Buffer);
  const b = Buffer.from(Buffer.concat(picked));
  for (let i = 1 + int(6); i > 0; i--) b[int(b.length)] = int(256);
  return kind === 2 ? b : b.subarray(0, int(b.length));
}

let t: TestListener | undefined;

afterEach(async () => {
  await t?.listener.stop();
  t = undefined;
});

describe('bad input on the Kafka listener', () => {
  it('random and mutated frames on many connections, a good client answered throughout', async () => {
    t = await startTestListener({ maxRequestBytes: 1024 * 1024 });
    const port = t.port;
    const next = rng(20240611);
    const frames = validFrames();

    const good = await RawKafkaClient.connect(port);
    let goodAnswered = 0;
    let fuzzing = true;
    const goodLoop = (async () => {
      for (let id = 0; fuzzing || id < 20; id++) {
        good.request({
          requestApiKey: ApiKey.ApiVersions,
          requestApiVersion: 2,
          correlationId: id,
          clientId: 'good',
        });
        const responses = await good.waitForResponses(id + 1);
        expect(responses[id]?.correlationId).toBe(id);
        goodAnswered++;
      }
    })();

    const inputs = Array.from({ length: 120 }, () => garbage(next, frames));
    for (let i = 0; i < inputs.length; i += 12) {
      await Promise.all(
        inputs.slice(i, i + 12).map(async (bytes) => {
          const c = await RawKafkaClient.connect(port);
          // Split the input at a random point to exercise partial frames as well.
          const cut = Math.floor(next() * bytes.length);
          c.send(bytes.subarray(0, cut));
          await new Promise((r) => setImmediate(r));
          if (!c.isClosed) c.send(bytes.subarray(cut));
          c.socket.end();
          await c.closed;
        }),
      );
    }
    fuzzing = false;
    await goodLoop;
    good.close();

    expect(goodAnswered).toBeGreaterThanOrEqual(20);
    await eventually(() => t?.listener.stats().connections === 0, 'every connection closed');
    const stats = t.listener.stats();
    expect(stats.connectionsAccepted).toBe(inputs.length + 1);
    // Most inputs are rejected; none made a handler fail.
    expect(stats.rejected).toBeGreaterThan(inputs.length / 2);
    expect(stats.handlerErrors).toBe(0);
    expect(t.logs.filter((l) => l.level >= 50)).toEqual([]);

    // Still serving.
    const after = await RawKafkaClient.connect(port);
    after.request({ requestApiKey: ApiKey.ApiVersions, requestApiVersion: 0, correlationId: 1 });
    expect(await after.waitForResponses(1)).toHaveLength(1);
    after.close();
  });
});
