import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replaces a small file so that a crash at any moment leaves the old or the new content, never a
 * mix: temp file, fsync, rename over the target (atomic on POSIX), fsync of the directory so the
 * rename itself survives a power loss. (topics/ has the same helper; kept local until one is shared.)
 */
let tempCounter = 0;

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  tempCounter += 1;
  const tmp = `${path}.tmp-${process.pid}-${tempCounter}`;
  try {
    const handle = await open(tmp, 'w', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  if (process.platform !== 'win32') {
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
