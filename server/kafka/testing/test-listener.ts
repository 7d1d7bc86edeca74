/** Test support: a Kafka listener on 127.0.0.1:0 whose log lines are kept for assertions. */
import { pino } from 'pino';
import { startKafkaListener, type KafkaListener, type KafkaListenerOptions } from '../kafka-listener';
import { UNWIRED_BROKER } from '../unwired-broker';

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface TestListener {
  readonly listener: KafkaListener;
  readonly port: number;
  readonly logs: LogLine[];
  /** Log lines at warn (40) or above. */
  warnings(): LogLine[];
}

export async function startTestListener(options: Partial<KafkaListenerOptions> = {}): Promise<TestListener> {
  const logs: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  );
  const listener = await startKafkaListener({
    host: '127.0.0.1',
    port: 0,
    broker: UNWIRED_BROKER,
    clusterId: 'sluice-test',
    logger,
    ...options,
  });
  return { listener, port: listener.port, logs, warnings: () => logs.filter((l) => l.level >= 40) };
}

/** Resolves once `check` holds, polling on timers (for effects seen only from outside). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
