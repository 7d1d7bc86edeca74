import fs from 'node:fs';
import path from 'node:path';

/**
 * One Sluice process per data directory: two brokers appending to the same segments would corrupt
 * them. The lock is `<dataDir>/.lock` holding the owner's pid, created with an exclusive create
 * (O_CREAT | O_EXCL), so that of two processes starting together exactly one wins. A lock left by
 * a process that no longer runs (a kill -9, a power cut) is taken over with a warning.
 */
export interface DataDirLock {
  readonly file: string;
  /** Removes the lock if it is still ours. */
  release(): void;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): number | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    return /^\d{1,10}$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, `${process.pid}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

export function lockDataDir(dir: string, warn: (message: string) => void): DataDirLock {
  const file = path.join(dir, '.lock');
  const lock: DataDirLock = {
    file,
    release() {
      if (readOwner(file) === process.pid) fs.rmSync(file, { force: true });
    },
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file)) return lock;
    const owner = readOwner(file);
    // Our own pid in an old lock is a previous process that had it (pids repeat in containers).
    if (owner !== undefined && owner !== process.pid && processRuns(owner)) {
      throw new Error(`data directory ${dir} is in use by process ${owner}`);
    }
    const who = owner === undefined ? 'an unreadable owner' : `process ${owner}, which is not running`;
    // Another process may have taken it over in the meantime: then look again rather than remove it.
    if (readOwner(file) !== owner) continue;
    warn(`taking over the stale lock ${file} left by ${who}`);
    fs.rmSync(file, { force: true });
  }
  throw new Error(`data directory ${dir} could not be locked: ${file} keeps reappearing`);
}
