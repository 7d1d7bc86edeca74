import { parseConfig, ConfigError } from './config';
import { createLogger } from './logger';
import { prepareDataDir } from './data-dir';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { startEmbeddedSluice } from './app';
import { tuneHeapGrowth } from './heap-tuning';

/**
 * `npm start`: parse flags, check and lock the data directory, start the broker and its two doors,
 * print where the console is, and stop cleanly on SIGINT/SIGTERM (doors first, broker last, then
 * the lock). Start-up problems are one line on stderr and exit 1. V8's heap growth is set for a
 * broker's Buffer traffic first (heap-tuning.ts).
 */
async function main(): Promise<void> {
  tuneHeapGrowth();
  let config;
  try {
    config = parseConfig(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    process.exit(0); // --help
  }
  const logger = createLogger(config.logLevel);
  let sluice;
  let lock: DataDirLock | undefined;
  try {
    const dataDir = await prepareDataDir(config.dataDir);
    lock = lockDataDir(dataDir, (message) => logger.warn(message));
    sluice = await startEmbeddedSluice({ ...config, dataDir }, logger);
  } catch (error) {
    lock?.release();
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
        lock?.release();
        logger.info('stopped cleanly');
        process.exit(0);
      })
      .catch((error: unknown) => {
        lock?.release();
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
