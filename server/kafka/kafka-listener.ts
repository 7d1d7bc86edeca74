/**
 * The Kafka door's TCP listener: accepts connections, gives each a KafkaConnection, counts them,
 * and on stop lets in-flight requests finish (bounded by a timeout) before dropping the rest.
 */
import { createServer, type Socket } from 'node:net';
import type { Logger } from '../logger';
import { closeServer, listen } from '../http/listen';
import { KafkaConnection, type ConnectionLimits } from './connection';
import { Dispatcher, type KafkaMetricsSink, type KafkaRequestStats } from './dispatcher';
import { DEFAULT_MAX_REQUEST_BYTES } from './frame-decoder';
import type { AnyApiHandler, KafkaBrokerServices, KafkaDoorConfig } from './handler';
import { KAFKA_HANDLERS } from './handlers/index';

export interface KafkaListenerOptions {
  /** Address to bind (default 127.0.0.1) and port (default 9092; 0 picks a free one). */
  host?: string;
  port?: number;
  /** Host clients are told to connect to (default: `host`). The advertised port is the bound one. */
  advertisedHost?: string;
  broker: KafkaBrokerServices;
  clusterId: string;
  autoCreateTopics?: boolean;
  /** Partitions of auto-created topics (Kafka's num.partitions, default 1). */
  defaultPartitions?: number;
  /** The APIs served (default: every registered handler). Tests pass their own. */
  handlers?: readonly AnyApiHandler[];
  logger: Logger;
  metrics?: KafkaMetricsSink;
  /** socket.request.max.bytes: default 100 MiB. */
  maxRequestBytes?: number;
  /** Unanswered requests per connection before reading pauses: default 100. */
  maxInFlightPerConnection?: number;
  /** connections.max.idle.ms: default 10 minutes. */
  connectionsMaxIdleMs?: number;
  /** How long `stop` waits for in-flight requests before dropping connections: default 5 s. */
  shutdownTimeoutMs?: number;
  /**
   * After a client ends its connection, how long its requests still running may take to answer
   * before the connection closes without them: default 1 s (handlers that heed the connection's
   * signal, as Fetch's long poll does, answer at once).
   */
  clientEndGraceMs?: number;
}

export interface KafkaListenerStats extends KafkaRequestStats {
  /** Connections open now. */
  readonly connections: number;
  /** Connections accepted since start. */
  readonly connectionsAccepted: number;
}

export interface KafkaListener {
  /** The bound port. */
  readonly port: number;
  /** `advertisedHost:port`, what clients should use as bootstrap server. */
  readonly address: string;
  stats(): KafkaListenerStats;
  /** Stops accepting, drains in-flight requests (bounded), closes every connection. */
  stop(): Promise<void>;
}

export const DEFAULT_KAFKA_PORT = 9092;
const DEFAULT_MAX_IN_FLIGHT = 100;
const DEFAULT_IDLE_MS = 10 * 60 * 1000;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;
const DEFAULT_END_GRACE_MS = 1_000;

export async function startKafkaListener(options: KafkaListenerOptions): Promise<KafkaListener> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger;
  const limits: ConnectionLimits = {
    maxRequestBytes: positive(options.maxRequestBytes, DEFAULT_MAX_REQUEST_BYTES, 'maxRequestBytes'),
    maxInFlight: positive(
      options.maxInFlightPerConnection,
      DEFAULT_MAX_IN_FLIGHT,
      'maxInFlightPerConnection',
    ),
    idleTimeoutMs: positive(options.connectionsMaxIdleMs, DEFAULT_IDLE_MS, 'connectionsMaxIdleMs'),
    endGraceMs: positive(options.clientEndGraceMs, DEFAULT_END_GRACE_MS, 'clientEndGraceMs'),
  };
  const advertisedHost = options.advertisedHost ?? host;
  // The advertised port is the bound one, known only after listen (port 0).
  const config: Mutable<KafkaDoorConfig> = {
    nodeId: 0,
    advertisedHost,
    advertisedPort: options.port ?? DEFAULT_KAFKA_PORT,
    clusterId: options.clusterId,
    autoCreateTopics: options.autoCreateTopics ?? false,
    defaultPartitions: options.defaultPartitions ?? 1,
  };
  // Built before binding: a bad handler list fails without leaving a port open.
  const dispatcher = new Dispatcher({
    handlers: options.handlers ?? KAFKA_HANDLERS,
    broker: options.broker,
    config,
    metrics: options.metrics,
  });
  const connections = new Set<KafkaConnection>();
  const connectionGauge = options.metrics?.gauge('connections');
  let accepted = 0;
  let stopping = false;

  // allowHalfOpen: a client that sends its requests and then shuts down its side still gets the
  // answers (the connection ends once they are written).
  const server = createServer({ allowHalfOpen: true }, (socket: Socket) => {
    if (stopping) {
      socket.destroy();
      return;
    }
    accepted++;
    const connection = new KafkaConnection(socket, accepted, dispatcher, limits, logger);
    connections.add(connection);
    connectionGauge?.set(connections.size);
    logger.debug({ client: connection.info.clientAddress }, 'Kafka client connected');
    void connection.closed.then(() => {
      connections.delete(connection);
      connectionGauge?.set(connections.size);
    });
  });
  // Errors after listening (EMFILE on accept...) must not crash the process.
  server.on('error', (error) => logger.error({ err: error }, 'Kafka listener error'));

  const port = await listen(server, host, config.advertisedPort, 'The Kafka listener', '--kafka-port');
  config.advertisedPort = port;
  const stats = dispatcher.stats;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  let stopped: Promise<void> | undefined;

  return {
    port,
    address: `${advertisedHost.includes(':') ? `[${advertisedHost}]` : advertisedHost}:${port}`,
    stats: () => ({
      ...stats,
      requests: { ...stats.requests },
      connections: connections.size,
      connectionsAccepted: accepted,
    }),
    stop() {
      stopped ??= (async () => {
        stopping = true;
        const closing = closeServer(server);
        const drained = Promise.all([...connections].map((c) => c.shutdown()));
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), shutdownTimeoutMs);
        });
        const late = await Promise.race([drained.then(() => false), timedOut]);
        clearTimeout(timer);
        if (late) {
          logger.warn(
            `Kafka listener: ${connections.size} connection(s) still busy after ${shutdownTimeoutMs} ms; closing them`,
          );
        }
        for (const c of connections) c.destroy();
        await closing;
      })();
      return stopped;
    },
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
