import { afterEach, describe, expect, it } from 'vitest';
import { defineHandler } from '../handler';
import {
  ApiKey,
  decodeApiVersionsResponse,
  encodeApiVersionsRequest,
  type ApiVersionsResponse,
} from '../protocol/generated/index';
import { Reader } from '../protocol/reader';
import { RawKafkaClient } from '../testing/raw-kafka-client';
import { startTestListener, type TestListener } from '../testing/test-listener';
import { apiVersionsHandler } from './api-versions';
import { KAFKA_HANDLERS } from './index';

let t: TestListener | undefined;
let c: RawKafkaClient | undefined;

afterEach(async () => {
  c?.close();
  await t?.listener.stop();
  t = c = undefined;
});

async function ask(
  version: number,
  options: Parameters<typeof startTestListener>[0] = {},
  body: Parameters<typeof encodeApiVersionsRequest>[1] = {},
): Promise<{ response: ApiVersionsResponse; correlationId: number }> {
  t ??= await startTestListener(options);
  c = await RawKafkaClient.connect(t.port);
  c.request(
    { requestApiKey: ApiKey.ApiVersions, requestApiVersion: version, correlationId: 7, clientId: 'test' },
    // Versions past the codec's are written as v3 bodies: what a newer client would send first.
    (w) => encodeApiVersionsRequest(w, body, Math.min(version, 3)),
  );
  const [raw] = await c.waitForResponses(1);
  if (raw === undefined) throw new Error('no response');
  // ApiVersions responses always use header v0: the body follows the correlation id directly.
  const decodeVersion = version >= 0 && version <= 3 ? version : 0;
  const r = new Reader(raw.body);
  const response = decodeApiVersionsResponse(r, decodeVersion);
  expect(r.remaining).toBe(0);
  return { response, correlationId: raw.correlationId };
}

const HEARTBEAT_1_2 = defineHandler('Heartbeat', {
  minVersion: 1,
  maxVersion: 2,
  handle: () => Promise.resolve({ errorCode: 0 }),
});

describe('ApiVersions', () => {
  it.each([0, 1, 2, 3])('v%i advertises exactly the registered handlers', async (version) => {
    const { response, correlationId } = await ask(version, { handlers: [HEARTBEAT_1_2, apiVersionsHandler] });
    expect(correlationId).toBe(7);
    expect(response.errorCode).toBe(0);
    expect(
      response.apiKeys.map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion })),
    ).toEqual([
      { apiKey: ApiKey.Heartbeat, minVersion: 1, maxVersion: 2 },
      { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 },
    ]);
    expect(response.throttleTimeMs).toBe(0);
  });

  it('the default registry advertises its handlers and nothing else', async () => {
    const { response } = await ask(0);
    expect(response.apiKeys.map((k) => k.apiKey)).toEqual(
      KAFKA_HANDLERS.map((h) => h.apiKey).sort((a, b) => a - b),
    );
    expect(response.apiKeys).toContainEqual(
      expect.objectContaining({ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 }),
    );
  });

  it('v3 accepts the client software name and version and sends no features', async () => {
    const { response } = await ask(
      3,
      {},
      { clientSoftwareName: 'sluice-test', clientSoftwareVersion: '1.2.3' },
    );
    expect(response.errorCode).toBe(0);
    expect(response.supportedFeatures).toEqual([]);
    expect(response.finalizedFeatures).toEqual([]);
    expect(response.finalizedFeaturesEpoch).toBe(-1n);
    expect(response.zkMigrationReady).toBe(false);
  });

  it('v3 accepts software names Kafka would reject', async () => {
    const { response } = await ask(3, {}, { clientSoftwareName: 'not valid!', clientSoftwareVersion: '' });
    expect(response.errorCode).toBe(0);
  });

  it.each([4, 9, 127])(
    'an unsupported v%i gets a v0 response with UNSUPPORTED_VERSION and the list',
    async (version) => {
      const { response, correlationId } = await ask(version);
      expect(correlationId).toBe(7);
      expect(response.errorCode).toBe(35);
      expect(response.apiKeys).toContainEqual(
        expect.objectContaining({ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 }),
      );
      expect(t?.listener.stats().rejected).toBe(0);
      expect(c?.isClosed).toBe(false);
    },
  );

  it('records the client software on the connection for v3', async () => {
    const seen: unknown[] = [];
    const recording = defineHandler('ApiVersions', {
      minVersion: 0,
      maxVersion: 3,
      async handle(request, ctx) {
        const response = await apiVersionsHandler.handle(request, ctx);
        seen.push(ctx.connection.clientSoftware);
        return response;
      },
    });
    await ask(3, { handlers: [recording] }, { clientSoftwareName: 'kcat', clientSoftwareVersion: '1.7.1' });
    expect(seen).toEqual([{ name: 'kcat', version: '1.7.1' }]);
  });
});

describe('defineHandler', () => {
  it('refuses a version range the codec cannot serve', () => {
    const handle = () => Promise.resolve({ errorCode: 0, apiKeys: [] });
    expect(() => defineHandler('ApiVersions', { minVersion: 0, maxVersion: 4, handle })).toThrow(
      /outside the codec's 0-3/,
    );
    expect(() => defineHandler('ApiVersions', { minVersion: 2, maxVersion: 1, handle })).toThrow(RangeError);
  });

  it('refuses two handlers for one API', async () => {
    await expect(startTestListener({ handlers: [apiVersionsHandler, apiVersionsHandler] })).rejects.toThrow(
      /two Kafka handlers for ApiVersions/,
    );
  });
});
