import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SluiceProcess {
  url: string;
  kafkaPort: number | undefined;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the real server (`tsx server/main.ts`) on free ports with a temporary data directory and
 * waits for the line that announces the console URL. The caller always calls stop().
 */
export async function startSluice(extraArgs: string[] = []): Promise<SluiceProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-e2e-'));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/main.ts',
      '--http-port',
      '0',
      '--kafka-port',
      '0',
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SLUICE_LOG_LEVEL: 'warn' } },
  );
  let output = '';
  const ready = new Promise<{ url: string; kafkaPort: number | undefined }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Sluice console: (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        const kafka = /Kafka listener: \S+:(\d+)/.exec(output)?.[1];
        resolve({ url, kafkaPort: kafka ? Number(kafka) : undefined });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) =>
      reject(new Error(`sluice exited with ${code} before it was ready:\n${output}`)),
    );
    setTimeout(() => reject(new Error(`sluice did not start within 30 s:\n${output}`)), 30_000).unref();
  });
  const { url, kafkaPort } = await ready;
  return {
    url,
    kafkaPort,
    dataDir,
    child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
