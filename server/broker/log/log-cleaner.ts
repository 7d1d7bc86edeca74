import fs from 'node:fs';
import { fsyncDirectory } from '../atomic-file';
import { ATTR } from './batch-header';
import { ENCODABLE_CODECS } from './compression';
import type { LogConfig } from './log-config';
import { CLEANED_SUFFIX, unlinkIfExists } from './log-files';
import { headerMaxTimestamp, type LogLogger, LogSegment, type SegmentContext } from './log-segment';
import type { DecodedRecord } from './record';
import { type DecodedBatch, decodeRecordBatch, encodeRecordBatch } from './record-batch';
import type { SegmentList } from './segment-list';
import { replaceSegmentFiles, swapManifestPath, writeSwapManifest } from './segment-swap';

/**
 * Kafka's LogCleaner for cleanup.policy=compact: keep the latest record of each key, with its
 * original offset. One pass builds the key -> latest offset map over the cleanable segments
 * (closed, and older than min.compaction.lag.ms); a second rewrites them in groups of at most
 * segment.bytes, each group into one cleaned segment swapped in atomically (segment-swap.ts).
 * The active segment is never touched. Batches that lose nothing are copied byte for byte;
 * the others are re-encoded with the codec, one batch per run of consecutive kept offsets
 * (the encoder numbers records consecutively), keeping compression and producer fields.
 */
export interface CompactResult {
  removedRecords: number;
  bytesBefore: number;
  bytesAfter: number;
}

export interface CleanerHost {
  dir: string;
  ctx: SegmentContext;
  list: SegmentList;
  logger: LogLogger;
  isClosed(): boolean;
}

/** Bounds the offset map's memory; a larger dirty section is cleaned over several runs. */
const MAX_MAP_KEYS = 1_000_000;
/** Relative offsets in a segment's indexes are i32. */
const MAX_GROUP_OFFSETS = 0x7fffffff - 1;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function discardFiles(segment: LogSegment): void {
  segment.closeFiles();
  for (const file of segment.files()) unlinkIfExists(file);
}

function segmentTimestamp(segment: LogSegment): number {
  return segment.maxTimestamp >= 0 ? segment.maxTimestamp : segment.createdAt;
}

function forEachBatch(segment: LogSegment, visit: (batch: Buffer, decoded: DecodedBatch) => void): void {
  segment.walk(0, (_header, position, size, reader) => {
    const batch = reader.view(position, size);
    if (batch === null) return true;
    visit(batch, decodeRecordBatch(batch));
    return false;
  });
}

/**
 * Closed segments older than the compaction lag, the latest offset of every key in them, and
 * how many records each segment would lose (so that a segment with nothing to remove is not
 * rewritten on every run). Map values are offset * 2 + (1 if the record is a tombstone).
 */
async function planCleaning(list: SegmentList, config: LogConfig, now: number, logStartOffset: number) {
  const latest = new Map<string, number>();
  const cleanable: LogSegment[] = [];
  const removable: number[] = [];
  const latestTombstones: number[] = [];
  const segmentOf = (offset: number) => {
    let lo = 0;
    let hi = cleanable.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((cleanable[mid] as LogSegment).baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (const segment of list.all.slice(0, -1)) {
    if (latest.size >= MAX_MAP_KEYS || segment.maxTimestamp > now - config.minCompactionLagMs) break;
    await yieldToEventLoop();
    if (!list.all.includes(segment)) continue; // retention removed it meanwhile
    const i = cleanable.push(segment) - 1;
    removable.push(0);
    latestTombstones.push(0);
    forEachBatch(segment, (_batch, decoded) => {
      if (decoded.isControl) return;
      for (const record of decoded.records) {
        if (record.key === null || record.offset < logStartOffset) {
          removable[i] = (removable[i] ?? 0) + 1;
          continue;
        }
        const key = record.key.toString('latin1');
        const previous = latest.get(key);
        if (previous !== undefined) {
          const at = segmentOf(Math.floor(previous / 2));
          removable[at] = (removable[at] ?? 0) + 1;
          if (previous % 2 === 1) latestTombstones[at] = (latestTombstones[at] ?? 0) - 1;
        }
        const tombstone = record.value === null;
        latest.set(key, record.offset * 2 + (tombstone ? 1 : 0));
        if (tombstone) latestTombstones[i] = (latestTombstones[i] ?? 0) + 1;
      }
    });
  }
  const worthCleaning = (i: number) => {
    const segment = cleanable[i] as LogSegment;
    const tombstonesExpire = segmentTimestamp(segment) < now - config.deleteRetentionMs;
    return (removable[i] ?? 0) > 0 || (tombstonesExpire && (latestTombstones[i] ?? 0) > 0);
  };
  const groups: LogSegment[][] = [];
  let group: LogSegment[] = [];
  let bytes = 0;
  let worth = false;
  const close = () => {
    if (group.length > 1 || worth) groups.push(group);
    group = [];
    bytes = 0;
    worth = false;
  };
  cleanable.forEach((segment, i) => {
    const first = group[0];
    if (
      first &&
      (bytes + segment.size > config.segmentBytes ||
        segment.baseOffset - first.baseOffset > MAX_GROUP_OFFSETS)
    ) {
      close();
    }
    group.push(segment);
    bytes += segment.size;
    worth ||= worthCleaning(i);
  });
  if (group.length > 0) close();
  return { latest, groups };
}

/** Consecutive-offset runs of the kept records: each becomes one re-encoded batch. */
function runs(records: DecodedRecord[]): DecodedRecord[][] {
  const out: DecodedRecord[][] = [];
  for (const record of records) {
    const run = out[out.length - 1];
    const last = run?.[run.length - 1];
    if (run && last && last.offset + 1 === record.offset) run.push(record);
    else out.push([record]);
  }
  return out;
}

function reencode(run: DecodedRecord[], decoded: DecodedBatch): Buffer {
  const { header } = decoded;
  const first = run[0] as DecodedRecord;
  const logAppend = decoded.timestampType === 'LogAppendTime';
  return encodeRecordBatch(
    run.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp })),
    {
      compression: ENCODABLE_CODECS.includes(decoded.compression) ? decoded.compression : 'none',
      baseOffset: first.offset,
      producerId: header.producerId,
      producerEpoch: header.producerEpoch,
      baseSequence: header.baseSequence >= 0 ? header.baseSequence + (first.offset - header.baseOffset) : -1,
      isTransactional: (header.attributes & ATTR.TRANSACTIONAL) !== 0,
      timestampType: decoded.timestampType,
      logAppendTime: logAppend ? header.maxTimestamp : undefined,
      partitionLeaderEpoch: header.partitionLeaderEpoch,
    },
  );
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

interface CleanOptions {
  latest: Map<string, number>;
  now: number;
  deleteRetentionMs: number;
  logStartOffset: number;
}

/**
 * Writes the group's surviving records into `<base>.log.cleaned`; returns it, sealed and
 * synced, or null when the group changed meanwhile (retention, close).
 */
async function writeCleaned(host: CleanerHost, group: LogSegment[], options: CleanOptions) {
  const base = (group[0] as LogSegment).baseOffset;
  const cleaned = new LogSegment(
    host.dir,
    base,
    0,
    (group[0] as LogSegment).createdAt,
    host.ctx,
    CLEANED_SUFFIX,
  );
  cleaned.offsetIndex.adopt(Buffer.alloc(0));
  cleaned.timeIndex.adopt(Buffer.alloc(0));
  cleaned.openWriter(true);
  let removed = 0;
  try {
    for (const segment of group) {
      // One source segment at a time, so that the partition's other work gets turns.
      await yieldToEventLoop();
      if (host.isClosed() || !host.list.containsRun(group)) {
        discardFiles(cleaned);
        return null;
      }
      // Tombstones stay for delete.retention.ms so that consumers get to see the deletion.
      const dropTombstones = segmentTimestamp(segment) < options.now - options.deleteRetentionMs;
      forEachBatch(segment, (batch, decoded) => {
        const { header } = decoded;
        const keep = decoded.isControl
          ? decoded.records
          : decoded.records.filter((r) => {
              if (r.offset < options.logStartOffset || r.key === null) return false;
              const latest = options.latest.get(r.key.toString('latin1'));
              if (latest !== undefined && r.offset < Math.floor(latest / 2)) return false;
              return !(r.value === null && dropTombstones);
            });
        removed += decoded.records.length - keep.length;
        if (keep.length === decoded.records.length) {
          cleaned.append(
            batch,
            header.baseOffset,
            header.baseOffset + header.lastOffsetDelta,
            header.maxTimestamp,
          );
          return;
        }
        for (const run of runs(keep)) {
          const out = reencode(run, decoded);
          const last = run[run.length - 1] as DecodedRecord;
          cleaned.append(out, (run[0] as DecodedRecord).offset, last.offset, headerMaxTimestamp(out));
        }
      });
    }
    cleaned.appendTimeIndexEntryIfGrown();
  } catch (error) {
    discardFiles(cleaned);
    throw error;
  }
  const fd = cleaned.detachWriter();
  if (fd !== null) {
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
  fsyncFile(cleaned.offsetIndex.path);
  fsyncFile(cleaned.timeIndex.path);
  return { cleaned, removed };
}

/**
 * Commits a cleaned group in place of the originals. The files and the segment list change in
 * one synchronous step (readers never see a mix); the directory fsyncs around it make the commit
 * point, the renames and the manifest's removal survive a power loss in that order.
 */
async function swapIn(host: CleanerHost, group: LogSegment[], cleaned: LogSegment): Promise<boolean> {
  const unchanged = () => !host.isClosed() && host.list.containsRun(group);
  if (!unchanged()) {
    discardFiles(cleaned);
    return false;
  }
  const first = group[0] as LogSegment;
  const manifest = { baseOffset: first.baseOffset, replaces: group.map((s) => s.baseOffset) };
  writeSwapManifest(host.dir, manifest);
  await fsyncDirectory(host.dir);
  if (!unchanged()) {
    // Retention or close came first: withdraw the commit before the cleaned files go.
    unlinkIfExists(swapManifestPath(host.dir, manifest));
    discardFiles(cleaned);
    return false;
  }
  const replacement = new LogSegment(host.dir, first.baseOffset, cleaned.size, first.createdAt, host.ctx);
  replacement.maxTimestamp = cleaned.maxTimestamp;
  replacement.offsetOfMaxTimestamp = cleaned.offsetOfMaxTimestamp;
  replacement.nextOffset = cleaned.nextOffset;
  for (const segment of group) segment.closeFiles();
  replaceSegmentFiles(host.dir, manifest);
  host.list.replace(group, replacement);
  await fsyncDirectory(host.dir);
  unlinkIfExists(swapManifestPath(host.dir, manifest));
  await fsyncDirectory(host.dir);
  return true;
}

export async function compactLog(host: CleanerHost, config: LogConfig, now: number, logStartOffset: number) {
  const result: CompactResult = { removedRecords: 0, bytesBefore: 0, bytesAfter: 0 };
  const { latest, groups } = await planCleaning(host.list, config, now, logStartOffset);
  const options = { latest, now, deleteRetentionMs: config.deleteRetentionMs, logStartOffset };
  for (const group of groups) {
    const written = await writeCleaned(host, group, options);
    if (written === null) continue;
    const { cleaned, removed } = written;
    const before = group.reduce((sum, s) => sum + s.size, 0);
    if (!(await swapIn(host, group, cleaned))) continue;
    result.removedRecords += removed;
    result.bytesBefore += before;
    result.bytesAfter += cleaned.size;
  }
  if (result.removedRecords > 0) host.logger.info({ dir: host.dir, ...result }, 'Compacted the log');
  return result;
}
