/**
 * Test support: one request of any generated API over a raw connection, decoded with the
 * generated response decoder, for checks that need exact versions or malformed content that no
 * client library would send.
 */
import { API_CODECS, responseHeaderVersion, type ApiName } from '../protocol/generated/index';
import { RawKafkaClient, responseBodyReader } from './raw-kafka-client';

type Codecs = typeof API_CODECS;
export type RawRequestInput<N extends ApiName> = Parameters<Codecs[N]['encodeRequest']>[1];
export type RawResponse<N extends ApiName> = ReturnType<Codecs[N]['decodeResponse']>;

let nextCorrelationId = 1;

/** Sends one request on a connection of its own (or `client`) and decodes the answer. */
export async function rawRequest<N extends ApiName>(
  port: number,
  api: N,
  version: number,
  body: RawRequestInput<N>,
  client?: RawKafkaClient,
): Promise<RawResponse<N>> {
  const codec = API_CODECS[api];
  const c = client ?? (await RawKafkaClient.connect(port));
  const correlationId = nextCorrelationId++;
  try {
    const before = c.responses.length;
    c.request(
      { requestApiKey: codec.key, requestApiVersion: version, correlationId, clientId: 'raw-test' },
      (w) => (codec.encodeRequest as (w: unknown, b: unknown, v: number) => void)(w, body, version),
    );
    const responses = await c.waitForResponses(before + 1);
    const raw = responses[before];
    if (raw === undefined || raw.correlationId !== correlationId) {
      throw new Error(`${api} v${version}: unexpected response ${raw?.correlationId}`);
    }
    const r = responseBodyReader(raw.body, responseHeaderVersion(codec.key, version) === 1);
    const decoded = (codec.decodeResponse as (r: unknown, v: number) => RawResponse<N>)(r, version);
    if (r.remaining !== 0)
      throw new Error(`${api} v${version}: ${r.remaining} bytes left after the response`);
    return decoded;
  } finally {
    if (client === undefined) c.close();
  }
}
