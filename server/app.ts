import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { SluiceConfig } from './config';
import type { Logger } from './logger';
import { createHttpServer, healthHandler, type Route } from './http/http-server';
import type { Cluster } from './cluster/cluster';
import { createApiHandler } from './api/handler';
import { closeServer, listen } from './http/listen';
import type { KafkaBrokerServices } from './kafka/handler';
import type { KafkaMetricsSink } from './kafka/dispatcher';
import { startKafkaListener, type KafkaListener } from './kafka/kafka-listener';
import { UNWIRED_BROKER } from './kafka/unwired-broker';
import { Broker, type BrokerHealth } from './broker/broker';
import { EmbeddedCluster } from './cluster/embedded/embedded-cluster';

export interface RunningSluice {
  httpUrl: string;
  httpPort: number;
  /** Bound Kafka port, and `advertisedHost:port` for clients' bootstrap servers. */
  kafkaPort: number;
  kafkaAddress: string;
  stop(): Promise<void>;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Wires the process: broker core, the console's HTTP door and the Kafka door. Each part is
 * started in dependency order and stopped in reverse, so a failure to bind a port leaves
 * nothing running behind it.
 */
export async function startSluice(
  config: SluiceConfig & { dataDir: string },
  logger: Logger,
  options: {
    cluster?: Cluster;
    /** The Kafka door's view of the broker core (without one the door serves ApiVersions only). */
    kafkaBroker?: KafkaBrokerServices;
    /** Where the Kafka door counts connections and requests by API (the broker's metrics). */
    metrics?: KafkaMetricsSink;
    /** Until the core persists one (Kafka's meta.properties cluster.id). */
    clusterId?: string;
    /** The broker core's health, reported by /healthz (see Broker.health). */
    health?: () => BrokerHealth;
  } = {},
): Promise<RunningSluice> {
  const startedAt = Date.now();
  const routes: Route[] = [
    {
      prefix: '/healthz',
      // `console` tells the SPA whether /trpc is mounted, so that it never calls an absent API.
      handler: healthHandler(() => {
        const broker = options.health?.();
        return {
          ok: broker?.running ?? true,
          degraded: broker !== undefined && !broker.ok,
          details: {
            uptimeMs: Date.now() - startedAt,
            console: options.cluster ? 'ready' : 'no-cluster',
            ...(broker === undefined || broker.ok ? {} : { problems: broker.problems }),
          },
        };
      }),
    },
  ];
  // The console's API needs a Cluster (the embedded broker's: see startEmbeddedSluice).
  if (options.cluster) {
    const api = createApiHandler({
      cluster: options.cluster,
      authToken: config.authToken,
      faultInjection: config.faultInjection,
      logger: logger.child({ component: 'api' }),
    });
    routes.push({ prefix: '/trpc', handler: api.trpc }, { prefix: '/metrics', handler: api.metrics });
  }
  const http = createHttpServer({
    staticDir: join(repoRoot, 'dist', 'web'),
    logger: logger.child({ component: 'http' }),
    routes,
  });
  const httpPort = await listen(http, config.host, config.httpPort, 'The console', '--http-port');
  let kafka: KafkaListener;
  try {
    kafka = await startKafkaListener({
      host: config.host,
      port: config.kafkaPort,
      advertisedHost: config.advertisedHost,
      autoCreateTopics: config.autoCreateTopics,
      broker: options.kafkaBroker ?? UNWIRED_BROKER,
      clusterId: options.clusterId ?? 'sluice',
      logger: logger.child({ component: 'kafka' }),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
  } catch (error) {
    await closeServer(http);
    throw error;
  }
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    httpUrl: `http://${hostForUrl}:${httpPort}`,
    httpPort,
    kafkaPort: kafka.port,
    kafkaAddress: kafka.address,
    async stop() {
      // Kafka first: its in-flight requests may still need the core the HTTP side also uses.
      await kafka.stop();
      await closeServer(http);
    },
  };
}

/**
 * `npm start`: the broker core over `config.dataDir`, the console over it (an EmbeddedCluster)
 * and the Kafka door onto it. Started in dependency order; stopped in reverse: the Kafka door,
 * the console, then the cluster's streams, and the broker last, once nothing can reach it. A
 * broker that cannot start (a damaged topic registry, an unreadable log directory) is one
 * sentence naming what to do, and nothing is left running.
 */
export async function startEmbeddedSluice(
  config: SluiceConfig & { dataDir: string },
  logger: Logger,
  options: { clusterId?: string } = {},
): Promise<RunningSluice> {
  const clusterId = options.clusterId ?? 'sluice';
  const broker = new Broker({
    dataDir: config.dataDir,
    faultInjection: config.faultInjection,
    logger: logger.child({ component: 'broker' }),
  });
  try {
    await broker.start();
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
    throw new Error(`the broker cannot start: ${reason}`, { cause: error });
  }
  const cluster = new EmbeddedCluster({ broker, clusterId });
  let doors: RunningSluice;
  try {
    doors = await startSluice(config, logger, {
      cluster,
      kafkaBroker: broker,
      metrics: broker.metrics,
      clusterId,
      health: () => broker.health(),
    });
  } catch (error) {
    cluster.close();
    await broker.stop();
    throw error;
  }
  cluster.setListeners([
    { name: 'console', protocol: 'http', host: config.host, port: doors.httpPort },
    { name: 'kafka', protocol: 'kafka', host: config.advertisedHost, port: doors.kafkaPort },
  ]);
  return {
    ...doors,
    async stop() {
      await doors.stop();
      cluster.close();
      await broker.stop();
    },
  };
}
