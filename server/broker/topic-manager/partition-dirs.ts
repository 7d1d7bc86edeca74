import fs from 'node:fs';
import path from 'node:path';
import type { BrokerLogger } from '../broker-options';
import { storageError } from '../errors';
import { isValidTopicName } from '../topics/topic-name';

/**
 * Partition directories: `<dataDir>/logs/<topic>-<partition>/` (DESIGN "Storage"). The last '-'
 * separates the partition, so `a-1-0` is partition 0 of topic `a-1`. Directories being deleted
 * or set aside get a `~` suffix, a character no topic name has, so they never parse as partitions.
 */
const DELETED_MARK = '~deleted-';
const ORPHANED_MARK = '~orphaned-';

export function logsDir(dataDir: string): string {
  return path.join(dataDir, 'logs');
}

export function partitionDir(dataDir: string, topic: string, partition: number): string {
  return path.join(logsDir(dataDir), `${topic}-${partition}`);
}

export function parsePartitionDirName(name: string): { topic: string; partition: number } | undefined {
  const match = /^(.+)-(\d{1,9})$/.exec(name);
  if (match === null) return undefined;
  const topic = match[1] ?? '';
  if (!isValidTopicName(topic)) return undefined;
  return { topic, partition: Number(match[2]) };
}

/**
 * On start: removes what an interrupted topic deletion left, logs partition directories that
 * belong to no topic (left alone: they may be an operator's data), and returns the names of the
 * partition directories present.
 */
export function reconcilePartitionDirs(
  dataDir: string,
  topics: ReadonlyMap<string, number>,
  logger: BrokerLogger,
): Set<string> {
  const dir = logsDir(dataDir);
  let names: string[];
  try {
    fs.mkdirSync(dir, { recursive: true });
    names = fs.readdirSync(dir);
  } catch (error) {
    throw storageError(`Cannot read the log directory ${dir}`, error);
  }
  const present = new Set<string>();
  for (const name of names) {
    if (name.includes(DELETED_MARK)) {
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
      logger.info({ dir: name }, 'Removed the rest of a deleted partition');
      continue;
    }
    const parsed = parsePartitionDirName(name);
    if (parsed === undefined) continue;
    const count = topics.get(parsed.topic);
    if (count === undefined || parsed.partition >= count) {
      logger.warn(
        { dir: path.join(dir, name) },
        `Partition directory ${name} belongs to no topic; it is left alone`,
      );
      continue;
    }
    present.add(name);
  }
  return present;
}

/** A stale directory where a new partition is about to live is renamed aside, never adopted. */
export function setAsideStaleDir(dir: string, now: number, logger: BrokerLogger): void {
  if (!fs.existsSync(dir)) return;
  const target = `${dir}${ORPHANED_MARK}${now}`;
  try {
    fs.renameSync(dir, target);
  } catch (error) {
    throw storageError(`Cannot set aside the stale directory ${dir}`, error);
  }
  logger.warn(
    { dir, movedTo: target },
    'A new partition found an old directory in its place; moved it aside',
  );
}

/** Renames first (so a crash never leaves a half-deleted partition that parses), then removes. */
export async function removePartitionDir(dir: string, now: number): Promise<void> {
  const doomed = `${dir}${DELETED_MARK}${now}`;
  try {
    await fs.promises.rename(dir, doomed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw storageError(`Cannot delete ${dir}`, error);
  }
  await fs.promises.rm(doomed, { recursive: true, force: true });
}
