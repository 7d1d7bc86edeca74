import { Command, InvalidArgumentError } from 'commander';
import { isIP } from 'node:net';

/**
 * Sluice's runtime configuration: CLI flags, each with a `SLUICE_*` environment fallback
 * (DESIGN.md "Configuration and defaults"). Parsing never throws a stack trace at the user:
 * bad values become a `ConfigError` whose message names the flag.
 */
export interface SluiceConfig {
  dataDir: string;
  host: string;
  httpPort: number;
  kafkaPort: number;
  advertisedHost: string;
  authToken: string | undefined;
  autoCreateTopics: boolean;
  faultInjection: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function port(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > 65535) {
      throw new InvalidArgumentError(`${flag} must be a port number from 0 to 65535 (0 picks a free port)`);
    }
    return n;
  };
}

function bool(value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new InvalidArgumentError(`expected true or false, got '${value}'`);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SluiceConfig {
  const program = new Command()
    .name('sluice')
    .description('A single-process Kafka-compatible event broker with an operations console.')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (s) => process.stdout.write(s) })
    .option(
      '--data-dir <path>',
      'where topics, offsets and metadata live (SLUICE_DATA_DIR)',
      env.SLUICE_DATA_DIR ?? './sluice-data',
    )
    .option(
      '--host <address>',
      'address the console and the Kafka listener bind (SLUICE_HOST)',
      env.SLUICE_HOST ?? '127.0.0.1',
    )
    .option(
      '--http-port <port>',
      'console port; 0 picks a free one (SLUICE_HTTP_PORT)',
      port('--http-port'),
      env.SLUICE_HTTP_PORT ? port('SLUICE_HTTP_PORT')(env.SLUICE_HTTP_PORT) : 8080,
    )
    .option(
      '--kafka-port <port>',
      'Kafka protocol port; 0 picks a free one (SLUICE_KAFKA_PORT)',
      port('--kafka-port'),
      env.SLUICE_KAFKA_PORT ? port('SLUICE_KAFKA_PORT')(env.SLUICE_KAFKA_PORT) : 9092,
    )
    .option(
      '--advertised-host <host>',
      'host name Kafka clients are told to connect to (SLUICE_ADVERTISED_HOST)',
      env.SLUICE_ADVERTISED_HOST,
    )
    .option(
      '--auth-token <token>',
      'token every console call must carry; required off loopback (SLUICE_AUTH_TOKEN)',
      env.SLUICE_AUTH_TOKEN,
    )
    .option(
      '--auto-create-topics [bool]',
      'create unknown topics on Kafka Metadata requests (SLUICE_AUTO_CREATE_TOPICS)',
      bool,
      env.SLUICE_AUTO_CREATE_TOPICS ? bool(env.SLUICE_AUTO_CREATE_TOPICS) : false,
    )
    .option(
      '--fault-injection [bool]',
      'enable crash and disk-fault injection from the console (SLUICE_FAULT_INJECTION)',
      bool,
      env.SLUICE_FAULT_INJECTION ? bool(env.SLUICE_FAULT_INJECTION) : false,
    )
    .option(
      '--log-level <level>',
      `one of ${LOG_LEVELS.join(', ')} (SLUICE_LOG_LEVEL)`,
      env.SLUICE_LOG_LEVEL ?? 'info',
    );

  try {
    program.parse(argv as string[], { from: 'user' });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') throw error;
    throw new ConfigError((e.message ?? String(error)).replace(/^error: /, ''));
  }
  const o = program.opts<{
    dataDir: string;
    host: string;
    httpPort: number;
    kafkaPort: number;
    advertisedHost?: string;
    authToken?: string;
    autoCreateTopics: boolean | string;
    faultInjection: boolean | string;
    logLevel: string;
  }>();

  if (!(LOG_LEVELS as readonly string[]).includes(o.logLevel)) {
    throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got '${o.logLevel}'`);
  }
  if (o.dataDir.trim() === '') throw new ConfigError('--data-dir must not be empty');
  if (o.authToken !== undefined && o.authToken.length < 8) {
    throw new ConfigError('--auth-token must be at least 8 characters long');
  }
  if (!isLoopback(o.host) && o.authToken === undefined) {
    throw new ConfigError(
      `refusing to bind ${o.host} without an auth token: anyone on the network could administer the broker; pass --auth-token or bind 127.0.0.1`,
    );
  }
  return {
    dataDir: o.dataDir,
    host: o.host,
    httpPort: o.httpPort,
    kafkaPort: o.kafkaPort,
    advertisedHost: o.advertisedHost ?? (o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host),
    authToken: o.authToken,
    autoCreateTopics: o.autoCreateTopics === true || o.autoCreateTopics === 'true',
    faultInjection: o.faultInjection === true || o.faultInjection === 'true',
    logLevel: o.logLevel as SluiceConfig['logLevel'],
  };
}
