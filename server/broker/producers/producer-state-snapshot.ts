import { readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { BrokerError, storageError } from '../errors';
import { writeFileAtomic } from '../atomic-file';

/**
 * Producer state snapshots, so that a restart replays only the log written since the last one.
 * As Kafka, one file per snapshot in the partition directory, named by the offset it covers up to
 * (`<20-digit offset>.snapshot`), written at a segment roll and at a clean shutdown. JSON rather
 * than Kafka's binary format: a few hundred bytes per producer, and readable when debugging.
 */

const Int = z.number().int();
const NonNegative = Int.min(0);

const BatchMetadataSchema = z.object({
  firstSeq: NonNegative,
  lastSeq: NonNegative,
  firstOffset: NonNegative,
  lastOffset: NonNegative,
  timestamp: Int,
});

const ProducerSnapshotSchema = z.object({
  producerId: NonNegative,
  producerEpoch: Int.min(-1).max(32767),
  lastTimestamp: Int,
  batches: z.array(BatchMetadataSchema).max(5),
});

const SnapshotSchema = z.object({
  version: z.literal(1),
  /** Every batch below this offset is reflected. */
  offset: NonNegative,
  producers: z.array(ProducerSnapshotSchema),
});

export type ProducerStateSnapshot = z.infer<typeof SnapshotSchema>;

export function parseProducerStateSnapshot(data: unknown): ProducerStateSnapshot {
  const result = SnapshotSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown';
    throw new BrokerError('CORRUPT_MESSAGE', `Invalid producer state snapshot at ${where}`);
  }
  return result.data;
}

const SUFFIX = '.snapshot';
const NAME = /^(\d{20})\.snapshot$/;

export function snapshotFileName(offset: number): string {
  return `${String(offset).padStart(20, '0')}${SUFFIX}`;
}

async function listSnapshots(dir: string): Promise<Array<{ offset: number; path: string }>> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw storageError(`Could not list producer snapshots in ${dir}`, error);
  });
  const found: Array<{ offset: number; path: string }> = [];
  for (const name of names) {
    const match = NAME.exec(name);
    if (match?.[1]) found.push({ offset: Number(match[1]), path: join(dir, name) });
  }
  return found.sort((a, b) => b.offset - a.offset); // newest first
}

/** Writes the snapshot atomically and keeps the newest `keep` snapshots. */
export async function writeProducerStateSnapshot(
  dir: string,
  snapshot: ProducerStateSnapshot,
  keep = 2,
): Promise<void> {
  try {
    await writeFileAtomic(join(dir, snapshotFileName(snapshot.offset)), JSON.stringify(snapshot));
    const all = await listSnapshots(dir);
    for (const old of all.slice(Math.max(1, keep))) await unlink(old.path).catch(() => undefined);
  } catch (error) {
    throw error instanceof BrokerError
      ? error
      : storageError(`Could not write producer snapshot in ${dir}`, error);
  }
}

/**
 * The newest valid snapshot at or below `maxOffset` (the log end after recovery), or undefined.
 * Snapshots beyond it describe data that is gone, and unreadable ones are worthless: both are
 * deleted so they are never used later.
 */
export async function readProducerStateSnapshot(
  dir: string,
  maxOffset: number,
): Promise<ProducerStateSnapshot | undefined> {
  let result: ProducerStateSnapshot | undefined;
  for (const file of await listSnapshots(dir)) {
    if (result === undefined && file.offset <= maxOffset) {
      try {
        const snapshot = parseProducerStateSnapshot(JSON.parse(await readFile(file.path, 'utf8')));
        if (snapshot.offset === file.offset) {
          result = snapshot;
          continue;
        }
      } catch {
        // fall through: discard it
      }
    } else if (result !== undefined) {
      continue; // older valid-or-not snapshots stay; the writer prunes them
    }
    await unlink(file.path).catch(() => undefined);
  }
  return result;
}
