import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Sluice as an operator runs it (`tsx server/main.ts`), as a child process on ports 0, so that
 * the benchmark's own clients do not share its event loop. Resolves once it prints its Kafka
 * address; `stop` sends SIGTERM and waits for the clean exit (the stored logs are then complete).
 */
export interface SluiceChild {
  /** `127.0.0.1:<port>` */
  readonly bootstrap: string;
  readonly port: number;
  /** The console's URL, `http://127.0.0.1:<port>`. */
  readonly httpUrl: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function startSluiceChild(dataDir: string, timeoutMs = 60_000): Promise<SluiceChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'server', 'main.ts'),
      '--http-port',
      '0',
      '--kafka-port',
      '0',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Sluice did not start within ${timeoutMs} ms: ${output.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Kafka listener: ([\d.]+):(\d+)/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      // Keep draining its output so that a chatty broker never blocks on a full pipe.
      child.stdout?.resume();
      const port = Number(match[2]);
      resolve({
        bootstrap: `${match[1]}:${port}`,
        port,
        httpUrl: /Sluice console: (\S+)/.exec(output)?.[1] ?? '',
        pid: child.pid ?? -1,
        async stop() {
          child.kill('SIGTERM');
          const code = await exited;
          if (code !== 0) throw new Error(`Sluice exited with ${code}: ${output.slice(-2000)}`);
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Sluice exited with ${code} before listening: ${output.slice(-2000)}`));
    });
  });
}
