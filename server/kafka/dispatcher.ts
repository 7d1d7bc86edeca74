/**
 * Turns one request frame into its outcome: header decode, handler lookup, version check, body
 * decode, the handler call with every error contained, and response encoding. Knows nothing of
 * sockets; the connection decides what to do with the outcome (write, skip, close).
 */
import { BrokerError } from '../broker/errors';
import type { Logger } from '../logger';
import { kafkaErrorCode, kafkaErrorName } from './error-codes';
import {
  NO_RESPONSE,
  type AnyApiHandler,
  type ApiVersionRange,
  type ConnectionInfo,
  type KafkaBrokerServices,
  type KafkaDoorConfig,
  type RequestContext,
} from './handler';
import { unsupportedVersionResponse } from './handlers/api-versions';
import { decodeRequestFrame, encodeResponseFrame, type DecodedRequestFrame } from './protocol/frame';
import { ApiKey, apiKeyInfo, encodeApiVersionsResponse } from './protocol/generated/index';
import { isProtocolError } from './protocol/protocol-error';

export type DispatchOutcome =
  | { readonly kind: 'response'; readonly frame: Buffer[] }
  | { readonly kind: 'none' }
  /** Malformed or unsupported request, or a failed handler without an error response. */
  | { readonly kind: 'close'; readonly api: string; readonly reason: string };

/** Where request counts go, so that the core's MetricsRegistry can be plugged in as is. */
export interface KafkaMetricsSink {
  apiRequests(api: string): { mark(n?: number): void };
  gauge(name: string): { set(value: number): void };
}

/** Counters of the Kafka door, readable at any time. */
export interface KafkaRequestStats {
  /** Requests dispatched to a handler, by API name. */
  readonly requests: Record<string, number>;
  /** Requests that closed their connection: bad frame size, malformed, unknown API, unsupported version. */
  rejected: number;
  /** Handler failures (throws and unencodable responses). */
  handlerErrors: number;
}

export interface DispatcherOptions {
  readonly handlers: readonly AnyApiHandler[];
  readonly broker: KafkaBrokerServices;
  readonly config: KafkaDoorConfig;
  readonly metrics?: KafkaMetricsSink | undefined;
}

/** Per-connection state the dispatcher needs for a request's context. */
export interface DispatchConnection {
  readonly info: ConnectionInfo;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

const NONE: DispatchOutcome = { kind: 'none' };

export class Dispatcher {
  readonly supportedApis: readonly ApiVersionRange[];
  readonly stats: KafkaRequestStats = { requests: {}, rejected: 0, handlerErrors: 0 };
  private readonly byKey = new Map<number, AnyApiHandler>();
  private readonly meters = new Map<string, { mark(n?: number): void }>();

  constructor(private readonly options: DispatcherOptions) {
    for (const h of options.handlers) {
      if (this.byKey.has(h.apiKey)) throw new Error(`two Kafka handlers for ${h.name} (key ${h.apiKey})`);
      this.byKey.set(h.apiKey, h);
    }
    this.supportedApis = [...this.byKey.values()]
      .map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }

  /**
   * Synchronous for everything decided from the bytes alone (so a bad frame stops the connection
   * before the frames after it are looked at); a promise while a handler runs. Never throws.
   */
  dispatch(payload: Buffer, conn: DispatchConnection): DispatchOutcome | Promise<DispatchOutcome> {
    let frame: DecodedRequestFrame;
    try {
      frame = decodeRequestFrame(payload);
    } catch (error) {
      return this.reject(describeRaw(payload), `malformed request header: ${message(error)}`);
    }
    const { requestApiKey: key, requestApiVersion: version, correlationId } = frame.header;
    const handler = this.byKey.get(key);
    if (handler === undefined) {
      const known = apiKeyInfo(key);
      return this.reject(
        `api key ${key} v${version}`,
        known ? `${known.name} is not served by this broker` : 'unknown API key',
      );
    }
    const api = `${handler.name} v${version}`;
    if (version < handler.minVersion || version > handler.maxVersion) {
      if (key === ApiKey.ApiVersions) {
        // KIP-511: answer in v0, which every client can read, with the list to pick from.
        this.count(handler.name);
        const body = unsupportedVersionResponse(this.supportedApis);
        return respond(key, 0, correlationId, (w) => encodeApiVersionsResponse(w, body, 0));
      }
      return this.reject(
        api,
        `unsupported version (this broker serves ${handler.minVersion}-${handler.maxVersion})`,
      );
    }
    let request: unknown;
    try {
      request = handler.decodeRequest(frame.body, version);
    } catch (error) {
      if (!isProtocolError(error)) conn.logger.error({ err: error, api }, 'Kafka request decoder failed');
      return this.reject(api, `malformed request: ${message(error)}`);
    }
    this.count(handler.name);
    const ctx: RequestContext = {
      header: { apiKey: key, apiVersion: version, correlationId, clientId: frame.header.clientId },
      connection: conn.info,
      clientAddress: conn.info.clientAddress,
      broker: this.options.broker,
      config: this.options.config,
      supportedApis: this.supportedApis,
      logger: conn.logger,
      signal: conn.signal,
    };
    return this.run(handler, request, ctx, api);
  }

  private async run(
    handler: AnyApiHandler,
    request: unknown,
    ctx: RequestContext,
    api: string,
  ): Promise<DispatchOutcome> {
    let response: unknown;
    try {
      response = await handler.handle(request, ctx);
    } catch (error) {
      return this.failed(handler, request, ctx, api, error);
    }
    if (response === NO_RESPONSE) return NONE;
    const { apiVersion, correlationId } = ctx.header;
    try {
      return respond(handler.apiKey, apiVersion, correlationId, (w) =>
        handler.encodeResponse(w, response, apiVersion),
      );
    } catch (error) {
      // A response this version cannot carry is a handler bug: treat it like a throw.
      return this.failed(handler, request, ctx, api, error);
    }
  }

  private failed(
    handler: AnyApiHandler,
    request: unknown,
    ctx: RequestContext,
    api: string,
    error: unknown,
  ): DispatchOutcome {
    this.stats.handlerErrors++;
    const code = kafkaErrorCode(error);
    if (error instanceof BrokerError) {
      ctx.logger.debug({ api, code: error.code, msg: error.message }, 'Kafka request failed');
    } else {
      ctx.logger.error({ err: error, api }, 'Kafka handler failed unexpectedly');
    }
    if (handler.errorResponse) {
      const { apiVersion, correlationId } = ctx.header;
      try {
        const response = handler.errorResponse(request, code, ctx);
        return respond(handler.apiKey, apiVersion, correlationId, (w) =>
          handler.encodeResponse(w, response, apiVersion),
        );
      } catch (second) {
        ctx.logger.error({ err: second, api }, 'Kafka error response failed');
      }
    }
    return { kind: 'close', api, reason: `request failed (${kafkaErrorName(code)}): ${message(error)}` };
  }

  private reject(api: string, reason: string): DispatchOutcome {
    this.stats.rejected++;
    return { kind: 'close', api, reason };
  }

  private count(name: string): void {
    this.stats.requests[name] = (this.stats.requests[name] ?? 0) + 1;
    const sink = this.options.metrics;
    if (sink === undefined) return;
    let meter = this.meters.get(name);
    if (meter === undefined) {
      meter = sink.apiRequests(name);
      this.meters.set(name, meter);
    }
    meter.mark();
  }
}

function respond(
  apiKey: number,
  version: number,
  correlationId: number,
  write: Parameters<typeof encodeResponseFrame>[3],
): DispatchOutcome {
  return { kind: 'response', frame: encodeResponseFrame(apiKey, version, correlationId, write) };
}

/** What can be told of a frame whose header did not decode. */
function describeRaw(payload: Buffer): string {
  if (payload.length < 4) return `a ${payload.length}-byte frame`;
  const key = payload.readInt16BE(0);
  const name = apiKeyInfo(key)?.name ?? `api key ${key}`;
  return `${name} v${payload.readInt16BE(2)}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
