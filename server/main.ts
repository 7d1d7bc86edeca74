import { parseConfig, ConfigError } from './config';
import { createLogger } from './logger';
import { prepareDataDir } from './data-dir';
import { startSluice } from './app';

/**
 * `npm start`: parse flags, check the data directory, start everything, print where the console
 * is, and stop cleanly on SIGINT/SIGTERM. Start-up problems are one line on stderr and exit 1.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    process.exit(0); // --help
  }
  const logger = createLogger(config.logLevel);
  let sluice;
  try {
    const dataDir = await prepareDataDir(config.dataDir);
    sluice = await startSluice({ ...config, dataDir }, logger);
  } catch (error) {
    fail((error as Error).message);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    sluice
      .stop()
      .then(() => {
        logger.info('stopped cleanly');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // Announced only once the signal handlers are in place: a supervisor (or a test) that sends
  // SIGTERM as soon as it reads this line must get a clean stop, not the default kill. One write,
  // so that a reader waiting for the console line gets the Kafka line with it.
  process.stdout.write(`Sluice console: ${sluice.httpUrl}\nKafka listener: ${sluice.kafkaAddress}\n`);
}

function fail(message: string): never {
  process.stderr.write(`sluice: ${message}\n`);
  process.exit(1);
}

void main();
