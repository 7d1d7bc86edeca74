import { mkdir, writeFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Makes sure the data directory exists and is writable before anything else starts, so that an
 * operator gets one clear line ("data directory /x is not writable: EACCES") instead of a
 * failure deep inside a partition.
 */
export async function prepareDataDir(dir: string): Promise<string> {
  const abs = resolve(dir);
  try {
    await mkdir(abs, { recursive: true });
    const probe = join(abs, `.write-probe-${process.pid}`);
    await writeFile(probe, 'ok');
    await rm(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`data directory ${abs} is not writable: ${code}`, { cause: error });
  }
  return abs;
}
