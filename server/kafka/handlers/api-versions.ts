/**
 * ApiVersions (key 18), versions 0-3.
 *
 * - Advertises exactly the registered handlers' ranges (`ctx.supportedApis`): an API without a
 *   handler is not advertised, so clients never send it (if one does, the connection is closed).
 * - v1+: ThrottleTimeMs 0 (no quotas).
 * - v3+ (flexible): ClientSoftwareName/Version are accepted whatever they hold (Kafka rejects
 *   names outside `[a-zA-Z0-9.-]` with INVALID_REQUEST; nothing is gained by refusing a client
 *   here) and recorded on the connection for logs. No supported features; finalized features
 *   empty with epoch -1 (unknown), as a broker without feature versioning answers.
 * - Produce is advertised from v0 although only v3+ is served (a v0-2 request closes the
 *   connection). librdkafka enables gzip, snappy and lz4 only when the broker's Produce range
 *   includes v0, and would otherwise send every batch uncompressed; Kafka 4.0 does the same for
 *   the same reason (KAFKA-18659).
 * - A version this handler does not serve (e.g. v4+ from a newer client) never reaches it: the
 *   dispatcher answers with `unsupportedVersionResponse`, a v0 response carrying
 *   UNSUPPORTED_VERSION and the full list, so that the client retries with a version both know.
 */
import { KafkaError } from '../error-codes';
import { defineHandler, type ApiVersionRange, type ResponseOf } from '../handler';

const PRODUCE_API_KEY = 0;

function apiKeys(supported: readonly ApiVersionRange[]): ResponseOf<'ApiVersions'>['apiKeys'] {
  return supported.map(({ apiKey, minVersion, maxVersion }) => ({
    apiKey,
    minVersion: apiKey === PRODUCE_API_KEY ? 0 : minVersion,
    maxVersion,
  }));
}

export const apiVersionsHandler = defineHandler('ApiVersions', {
  minVersion: 0,
  maxVersion: 3,
  handle(request, ctx) {
    if (ctx.header.apiVersion >= 3 && request.clientSoftwareName !== '') {
      ctx.connection.clientSoftware = {
        name: request.clientSoftwareName,
        version: request.clientSoftwareVersion,
      };
    }
    return Promise.resolve({
      errorCode: KafkaError.NONE,
      apiKeys: apiKeys(ctx.supportedApis),
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1n,
      finalizedFeatures: [],
      zkMigrationReady: false,
    });
  },
  errorResponse: (_request, errorCode, ctx) => ({ errorCode, apiKeys: apiKeys(ctx.supportedApis) }),
});

/** The v0 answer to an ApiVersions request of a version we do not serve. */
export function unsupportedVersionResponse(supported: readonly ApiVersionRange[]): ResponseOf<'ApiVersions'> {
  return { errorCode: KafkaError.UNSUPPORTED_VERSION, apiKeys: apiKeys(supported) };
}
