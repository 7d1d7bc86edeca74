import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a small file so that a crash at any moment leaves either the old or the new content,
 * never a mix: write a temp file next to it, fsync it, rename it over the target (atomic on POSIX),
 * then fsync the directory so that the rename itself is durable.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
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
  await fsyncDirectory(dirname(path));
}

export async function fsyncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; there, rename durability is the filesystem's.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const TEMP_MARKER = '.tmp-';
let tempCounter = 0;

function tempPathFor(path: string): string {
  tempCounter += 1;
  return `${path}${TEMP_MARKER}${process.pid}-${tempCounter}`;
}

/**
 * Deletes temp files a crashed `writeFileAtomic(path, ...)` left behind; they never hold the only
 * copy of anything. Returns the names removed.
 */
export async function removeStaleTempFiles(path: string): Promise<string[]> {
  const dir = dirname(path);
  const prefix = `${basename(path)}${TEMP_MARKER}`;
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    await unlink(join(dir, name));
    removed.push(name);
  }
  return removed;
}
