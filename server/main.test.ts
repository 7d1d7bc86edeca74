import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(
  args: string[],
  { onReady, logLevel = 'silent' }: { onReady?: () => Promise<void>; logLevel?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
      env: { ...process.env, SLUICE_LOG_LEVEL: logLevel },
    });
    let stdout = '';
    let stderr = '';
    let ready = false;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (!ready && stdout.includes('Sluice console:')) {
        ready = true;
        void (onReady ?? (async () => undefined))().finally(() => child.kill('SIGTERM'));
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sluice CLI', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'sluice-cli-'));

  it('starts, prints the console URL and stops cleanly on SIGTERM', async () => {
    const dir = dataDir();
    const r = await run(['--http-port', '0', '--kafka-port', '0', '--data-dir', dir]);
    expect(r.stdout).toMatch(/Sluice console: http:\/\/127\.0\.0\.1:\d+/);
    expect(r.code).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 with one clear line when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dir = dataDir();
    const r = await run(['--http-port', String(port), '--kafka-port', '0', '--data-dir', dir]);
    blocker.close();
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `sluice: The console port ${port} on 127.0.0.1 is already in use; choose another with --http-port`,
    );
  });

  it('exits 1 with one clear line when the data dir cannot be written', async () => {
    // A path below a regular file fails for every user, root included (directory modes do not stop root).
    const file = join(tmpdir(), `sluice-not-a-dir-${process.pid}`);
    writeFileSync(file, 'x');
    const r = await run(['--http-port', '0', '--kafka-port', '0', '--data-dir', join(file, 'data')]);
    rmSync(file, { force: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sluice: data directory .* is not writable: ENOTDIR\n$/);
  });

  it('locks the data dir with its pid: a second process is refused, and the lock goes at stop', async () => {
    const dir = dataDir();
    const lock = join(dir, '.lock');
    let second: Awaited<ReturnType<typeof run>> | undefined;
    let owner = '';
    const first = await run(['--http-port', '0', '--kafka-port', '0', '--data-dir', dir], {
      onReady: async () => {
        owner = readFileSync(lock, 'utf8').trim();
        second = await run(['--http-port', '0', '--kafka-port', '0', '--data-dir', dir]);
      },
    });
    expect(first.code).toBe(0);
    expect(owner).toMatch(/^\d+$/);
    expect(second?.code).toBe(1);
    expect(second?.stderr).toBe(`sluice: data directory ${dir} is in use by process ${owner}\n`);
    expect(existsSync(lock)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes over a stale lock left by a process that is gone, with a warning', async () => {
    const dir = dataDir();
    const gone = spawn(process.execPath, ['-e', '']);
    const pid = gone.pid!;
    await new Promise((r) => gone.once('exit', r));
    writeFileSync(join(dir, '.lock'), `${pid}\n`);
    const r = await run(['--http-port', '0', '--kafka-port', '0', '--data-dir', dir], { logLevel: 'warn' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`taking over the stale lock ${join(dir, '.lock')} left by process ${pid}`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 with one clear line when the broker cannot start (a damaged topic registry)', async () => {
    const dir = dataDir();
    mkdirSync(join(dir, 'meta'));
    writeFileSync(join(dir, 'meta', 'topics.json'), '{ not json');
    const r = await run(['--http-port', '0', '--kafka-port', '0', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^sluice: the broker cannot start: Topic registry '.*topics\.json' is damaged .*\n$/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a bad flag with the flag named', async () => {
    const r = await run(['--http-port', 'eighty']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--http-port must be a port number/);
  });
});
