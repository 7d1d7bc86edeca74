/**
 * Test support: a long-running client process (a kcat or Python group consumer) whose output is
 * read line by line while it runs. Every process has a deadline after which it is killed and its
 * waits fail with a message naming it and the tail of its stderr; `killAllSpawned` (for afterEach)
 * kills whatever a test left running.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

const running = new Set<Spawned>();

export interface SpawnOptions {
  /** Killed (SIGKILL) after this long. Default 60 s. */
  timeoutMs?: number;
  /** A short name for failure messages, e.g. `kcat member 2`. */
  name?: string;
}

export class Spawned {
  readonly name: string;
  readonly stdoutLines: string[] = [];
  readonly stderrLines: string[] = [];
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private timedOut = false;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly timer: NodeJS.Timeout;
  private waiters: (() => void)[] = [];

  constructor(command: string, args: readonly string[], options: SpawnOptions = {}) {
    this.name = options.name ?? command;
    const timeoutMs = options.timeoutMs ?? 60_000;
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(this);
    splitLines(this.child.stdout, (line) => this.push(this.stdoutLines, line));
    splitLines(this.child.stderr, (line) => this.push(this.stderrLines, line));
    this.child.stdin.on('error', () => undefined);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.child.kill('SIGKILL');
    }, timeoutMs);
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.stderrLines.push(`spawn failed: ${error.message}`);
        this.settle(-1, resolve);
      });
      this.child.on('close', (code) => this.settle(code, resolve));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.exitCode === undefined;
  }

  /** stdout lines parsed as JSON (lines that are not JSON objects are skipped). */
  json<T>(): T[] {
    const out: T[] = [];
    for (const line of this.stdoutLines) {
      if (!line.startsWith('{')) continue;
      try {
        out.push(JSON.parse(line) as T);
      } catch {
        // a line cut by a kill
      }
    }
    return out;
  }

  /** Waits until `check` holds (re-evaluated on each output line and every 100 ms). */
  async waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (!this.isRunning) throw this.failure(`exited (code ${String(this.exitCode)}) before ${what}`);
      if (Date.now() > deadline) throw this.failure(`did not reach "${what}" within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Closes stdin (the Python consumers then close cleanly, leaving their group). */
  endInput(): void {
    this.child.stdin.end();
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.isRunning) this.child.kill(signal);
  }

  /** Ends stdin (or sends `signal`) and waits for the exit, killing it past `timeoutMs`. */
  async stop(how: 'stdin' | NodeJS.Signals, timeoutMs = 15_000): Promise<number | null> {
    if (how === 'stdin') this.endInput();
    else this.kill(how);
    const killer = setTimeout(() => this.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(killer);
    }
  }

  failure(what: string): Error {
    const why = this.timedOut ? ' (killed at its deadline)' : '';
    const tail = this.stderrLines.slice(-15).join('\n');
    return new Error(`${this.name} ${what}${why}; stderr tail:\n${tail}`);
  }

  private push(lines: string[], line: string): void {
    lines.push(line);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private settle(code: number | null, resolve: (code: number | null) => void): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    clearTimeout(this.timer);
    running.delete(this);
    resolve(code);
    for (const w of this.waiters.splice(0)) w();
  }
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) onLine(p);
  });
  stream.on('end', () => {
    if (rest !== '') onLine(rest);
  });
}

/** Kills (SIGKILL) every process still running and waits for their exits: for afterEach. */
export async function killAllSpawned(): Promise<void> {
  const all = [...running];
  for (const p of all) p.kill('SIGKILL');
  await Promise.all(all.map((p) => p.exited));
}
