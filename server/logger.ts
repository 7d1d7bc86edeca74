import { pino, type Logger } from 'pino';

export type { Logger };

/** One structured logger for the process; components take a child with their own bindings. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'sluice' }, timestamp: pino.stdTimeFunctions.isoTime });
}
