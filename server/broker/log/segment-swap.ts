import fs from 'node:fs';
import path from 'node:path';
import {
  CLEANED_SUFFIX,
  INDEX_SUFFIX,
  LOG_SUFFIX,
  segmentPath,
  SWAP_SUFFIX,
  TIME_INDEX_SUFFIX,
  unlinkIfExists,
  writeFileAtomicSync,
} from './log-files';

/**
 * The commit protocol of a compaction, crash-safe at every step:
 *   1. the cleaned segment is written as `<base>.log.cleaned` (+ indexes) and fsynced;
 *   2. the manifest `<base>.swap` naming the segments it replaces is written atomically and the
 *      directory fsynced: this is the commit point;
 *   3. the replaced segments are deleted and the cleaned files renamed into place, and the
 *      directory fsynced (before that, a power loss could undo the renames but not the manifest's
 *      removal, leaving the `.cleaned` files to be deleted as uncommitted);
 *   4. the manifest is removed, and the directory fsynced.
 * On open, a manifest means "finish step 3" (it is idempotent); `.cleaned` files without one
 * are an interrupted step 1 and are deleted.
 */
export interface SwapManifest {
  baseOffset: number;
  replaces: number[];
}

const FILE_SUFFIXES = [INDEX_SUFFIX, TIME_INDEX_SUFFIX, LOG_SUFFIX];

export function writeSwapManifest(dir: string, manifest: SwapManifest): void {
  writeFileAtomicSync(swapManifestPath(dir, manifest), JSON.stringify(manifest));
}

export function readSwapManifest(file: string): SwapManifest | null {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { baseOffset, replaces } = parsed as Record<string, unknown>;
    if (!Number.isSafeInteger(baseOffset) || !Array.isArray(replaces)) return null;
    if (!replaces.every((b) => Number.isSafeInteger(b))) return null;
    return { baseOffset: baseOffset as number, replaces: replaces as number[] };
  } catch {
    return null;
  }
}

export function swapManifestPath(dir: string, manifest: SwapManifest): string {
  return segmentPath(dir, manifest.baseOffset, SWAP_SUFFIX);
}

/** Step 3 and 4 without their fsyncs (recovery on open); safe to run again after a crash. */
export function completeSwap(dir: string, manifest: SwapManifest): void {
  replaceSegmentFiles(dir, manifest);
  unlinkIfExists(swapManifestPath(dir, manifest));
}

/** Step 3 without its fsync: the replaced segments' files go, the cleaned ones take their place. */
export function replaceSegmentFiles(dir: string, manifest: SwapManifest): void {
  for (const base of manifest.replaces) {
    if (base === manifest.baseOffset) continue;
    for (const suffix of FILE_SUFFIXES) unlinkIfExists(segmentPath(dir, base, suffix));
  }
  for (const suffix of FILE_SUFFIXES) {
    const cleaned = segmentPath(dir, manifest.baseOffset, suffix + CLEANED_SUFFIX);
    if (fs.existsSync(cleaned)) fs.renameSync(cleaned, segmentPath(dir, manifest.baseOffset, suffix));
  }
}

/** Finishes committed swaps found in `dir`; returns the manifests completed. */
export function recoverSwaps(dir: string): SwapManifest[] {
  const done: SwapManifest[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(SWAP_SUFFIX)) continue;
    const file = path.join(dir, name);
    const manifest = readSwapManifest(file);
    if (manifest === null) {
      // A manifest is written atomically, so an unreadable one was never committed.
      fs.unlinkSync(file);
      continue;
    }
    completeSwap(dir, manifest);
    done.push(manifest);
  }
  return done;
}
