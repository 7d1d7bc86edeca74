/**
 * Real clients against a listener that serves only ApiVersions: each client gets through the
 * ApiVersions exchange and then stops at Metadata, which it sees we do not advertise: that
 * refusal is itself the proof that it parsed our version list. (The served APIs are tested with
 * real clients in handlers/.)
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { defineHandler, type ConnectionInfo } from './handler';
import { apiVersionsHandler } from './handlers/api-versions';
import { KAFKA_HANDLERS } from './handlers/index';
import { ApiKey, encodeApiVersionsRequest } from './protocol/generated/index';
import { RawKafkaClient } from './testing/raw-kafka-client';
import { startTestListener, type TestListener } from './testing/test-listener';

const require = createRequire(import.meta.url);

interface KafkajsApiVersionsResponse {
  errorCode: number;
  apiVersions: { apiKey: number; minVersion: number; maxVersion: number }[];
}
type KafkajsResponse = {
  decode(data: Buffer): Promise<KafkajsApiVersionsResponse>;
  parse(data: KafkajsApiVersionsResponse): Promise<KafkajsApiVersionsResponse>;
};

/** ApiVersions as served, recording the versions and client software of each request. */
function recordingApiVersions() {
  const seen: { version: number; clientId: string | null; software: ConnectionInfo['clientSoftware'] }[] = [];
  const handler = defineHandler('ApiVersions', {
    minVersion: apiVersionsHandler.minVersion,
    maxVersion: apiVersionsHandler.maxVersion,
    async handle(request, ctx) {
      const response = await apiVersionsHandler.handle(request, ctx);
      seen.push({
        version: ctx.header.apiVersion,
        clientId: ctx.header.clientId,
        software: ctx.connection.clientSoftware,
      });
      return response;
    },
  });
  return { handler, seen };
}

let t: TestListener | undefined;

afterEach(async () => {
  await t?.listener.stop();
  t = undefined;
});

describe('kafkajs 2.x', () => {
  it('decodes our ApiVersions responses with its own protocol module (v0-v2)', async () => {
    t = await startTestListener();
    for (const version of [0, 1, 2]) {
      const c = await RawKafkaClient.connect(t.port);
      c.request(
        { requestApiKey: ApiKey.ApiVersions, requestApiVersion: version, correlationId: 1, clientId: 'kjs' },
        (w) => encodeApiVersionsRequest(w, {}, version),
      );
      const [raw] = await c.waitForResponses(1);
      c.close();
      const decoder = require(
        `kafkajs/src/protocol/requests/apiVersions/v${version}/response`,
      ) as KafkajsResponse;
      const decoded = await decoder.parse(await decoder.decode((raw as { body: Buffer }).body));
      expect(decoded.errorCode).toBe(0);
      expect(decoded.apiVersions).toEqual(
        // Produce is advertised from v0 for librdkafka's compression detection (see api-versions.ts).
        KAFKA_HANDLERS.map(({ apiKey, minVersion, maxVersion }) => ({
          apiKey,
          minVersion: apiKey === ApiKey.Produce ? 0 : minVersion,
          maxVersion,
        })).sort((a, b) => a.apiKey - b.apiKey),
      );
    }
  });

  it('a kafkajs admin gets through ApiVersions and then refuses Metadata as not supported', async () => {
    const rec = recordingApiVersions();
    t = await startTestListener({ handlers: [rec.handler] });
    const kafka = new Kafka({
      clientId: 'sluice-compat',
      brokers: [`127.0.0.1:${t.port}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    const error = await admin
      .connect()
      .then(() => admin.describeCluster())
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    await admin.disconnect();
    expect(error).toBeDefined();
    // kafkajs looked Metadata up in the versions we sent and did not find it.
    expect(`${error?.name}: ${error?.message}`).toMatch(/does not support the requested API version/);
    expect(rec.seen.map((s) => s.version)).toContain(2);
    expect(rec.seen[0]?.clientId).toBe('sluice-compat');
    expect(t.listener.stats().requests).toEqual({ ApiVersions: rec.seen.length });
    expect(t.listener.stats().rejected).toBe(0);
  });
});

describe('kcat (librdkafka)', () => {
  it('kcat -L gets through ApiVersions v3, then finds Metadata unsupported', async () => {
    const rec = recordingApiVersions();
    t = await startTestListener({ handlers: [rec.handler] });
    const child = spawn('/usr/bin/kcat', ['-L', '-b', `127.0.0.1:${t.port}`, '-m', '5']);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/Required feature not supported by broker/);
    // librdkafka opens with the flexible v3 and sends its software name (KIP-511).
    expect(rec.seen[0]?.version).toBe(3);
    expect(rec.seen[0]?.software?.name).toMatch(/librdkafka/);
    expect(t.listener.stats().requests.ApiVersions).toBeGreaterThanOrEqual(1);
    expect(t.warnings()).toEqual([]);
  });
});
