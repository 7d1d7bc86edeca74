import fs from 'node:fs';
import { BATCH, CURRENT_MAGIC, computeBatchCrc } from './batch-header';
import { BatchReader } from './batch-reader';
import { type LogLogger, type LogSegment, headerBaseOffset, headerMaxTimestamp } from './log-segment';
import { OffsetIndex } from './offset-index';
import { TimeIndex } from './time-index';

/**
 * Re-validating segments after an unclean stop, and rebuilding indexes that cannot be trusted.
 * The rule of both: walk the .log from a trusted position, accept each batch only if its header
 * is sane, its offsets follow the previous batch and (when asked) its CRC matches, index it as an
 * append would, and stop at the first bad byte. Nothing past that byte is ever served.
 */

/** Recovery reads this much at once: large sequential reads keep a 1 GiB scan fast. */
const RECOVERY_CHUNK = 8 * 1024 * 1024;
const MAX_RELATIVE_OFFSET = 0x7fffffff;

interface ScanResult {
  validBytes: number;
  /** Offset after the last valid batch; the segment's base offset when there is none. */
  nextOffset: number;
  reason: string | null;
}

/** Why the batch at `position` is not acceptable, or null. `header` has HEADER_SIZE bytes. */
function headerProblem(header: Buffer, size: number, position: number, end: number, minOffset: number) {
  if (header.readInt8(BATCH.MAGIC) !== CURRENT_MAGIC) return `bad magic at byte ${position}`;
  if (size < BATCH.HEADER_SIZE || position + size > end)
    return `batch length ${size} at byte ${position} runs past the end`;
  if (header.readInt32BE(BATCH.LAST_OFFSET_DELTA) < 0)
    return `negative last offset delta at byte ${position}`;
  if (headerBaseOffset(header) < minOffset)
    return `offset ${headerBaseOffset(header)} at byte ${position} goes backwards`;
  return null;
}

/** Walks and indexes batches from `position` (whose batch has offset >= `minOffset`) to `end`. */
function scan(
  segment: LogSegment,
  fd: number,
  position: number,
  end: number,
  validate: boolean,
  minOffset: number,
) {
  const reader = new BatchReader(fd, end, RECOVERY_CHUNK);
  const result: ScanResult = {
    validBytes: position,
    nextOffset: Math.max(minOffset, segment.baseOffset),
    reason: null,
  };
  while (position < end) {
    const header = reader.view(position, BATCH.HEADER_SIZE);
    if (header === null) {
      result.reason = `${end - position} bytes at byte ${position} are a truncated batch header`;
      break;
    }
    const size = BATCH.LOG_OVERHEAD + header.readInt32BE(BATCH.LENGTH);
    const problem = headerProblem(header, size, position, end, result.nextOffset);
    const crc = header.readUInt32BE(BATCH.CRC);
    const baseOffset = headerBaseOffset(header);
    const lastOffset = baseOffset + header.readInt32BE(BATCH.LAST_OFFSET_DELTA);
    const maxTimestamp = headerMaxTimestamp(header);
    if (problem === null && validate) {
      const batch = reader.view(position, size);
      if (batch === null || computeBatchCrc(batch) !== crc) {
        result.reason = `CRC mismatch in the batch at byte ${position}`;
        break;
      }
    }
    if (problem !== null) {
      result.reason = problem;
      break;
    }
    segment.indexBatch(baseOffset, maxTimestamp, position, size);
    position += size;
    result.validBytes = position;
    result.nextOffset = lastOffset + 1;
  }
  return result;
}

function resetIndexes(segment: LogSegment): void {
  segment.offsetIndex.truncateEntries(0);
  segment.timeIndex.truncateEntries(0);
  segment.maxTimestamp = -1;
  segment.offsetOfMaxTimestamp = -1;
  segment.bytesSinceIndexEntry = 0;
}

function readHeader(fd: number, position: number, end: number): Buffer | null {
  return new BatchReader(fd, end, BATCH.HEADER_SIZE).view(position, BATCH.HEADER_SIZE);
}

/**
 * Opens the last segment for appending. Its index files are trusted up to their last entry when
 * they are sound and that entry points at the batch it names; the batches from there on are
 * walked (and CRC-checked after an unclean stop) and the file is cut at the first bad byte;
 * after an unclean stop the segment and its indexes are then fsynced before anything is served.
 */
export function recoverActiveSegment(
  segment: LogSegment,
  clean: boolean,
  now: number,
  logger: LogLogger,
): void {
  const offsets = segment.offsetIndex.readFile();
  const times = segment.timeIndex.readFile();
  segment.offsetIndex.adopt(offsets);
  segment.timeIndex.adopt(times);
  segment.openWriter();
  const fd = segment.fd();
  const fileSize = fs.fstatSync(fd).size;
  segment.size = fileSize;

  let start = { position: 0, minOffset: segment.baseOffset };
  const problem =
    segment.offsetIndex.problem(fileSize, MAX_RELATIVE_OFFSET) ??
    segment.timeIndex.problem(MAX_RELATIVE_OFFSET);
  const last = problem === null ? segment.offsetIndex.lastEntry() : null;
  const header = last ? readHeader(fd, last.position, fileSize) : null;
  if (last && header && headerBaseOffset(header) === segment.baseOffset + last.relativeOffset) {
    segment.timeIndex.truncateBefore(last.relativeOffset);
    const t = segment.timeIndex.lastEntry();
    segment.maxTimestamp = t?.timestamp ?? -1;
    segment.offsetOfMaxTimestamp = t ? segment.baseOffset + t.relativeOffset : -1;
    segment.bytesSinceIndexEntry = 0;
    start = { position: last.position, minOffset: segment.baseOffset + last.relativeOffset };
  } else {
    if (
      problem !== null ||
      last !== null ||
      offsets.length % OffsetIndex.ENTRY_SIZE ||
      times.length % TimeIndex.ENTRY_SIZE
    ) {
      logger.warn(
        { file: segment.offsetIndex.path, problem: problem ?? 'last entry is stale' },
        'Rebuilding index',
      );
    }
    resetIndexes(segment);
  }

  let result = scan(segment, fd, start.position, fileSize, !clean, start.minOffset);
  if (result.reason !== null && start.position > 0 && result.validBytes === start.position) {
    // The batch the last index entry points at is itself bad: nothing after the entry can be
    // trusted, so the index cannot be either. Start over from the beginning of the segment.
    resetIndexes(segment);
    result = scan(segment, fd, 0, fileSize, true, segment.baseOffset);
  }
  if (result.validBytes < fileSize) {
    fs.ftruncateSync(fd, result.validBytes);
    logger.warn(
      {
        file: segment.logPath,
        bytesDropped: fileSize - result.validBytes,
        at: result.validBytes,
        reason: result.reason,
      },
      'Truncated the invalid tail of the active segment',
    );
  }
  segment.size = result.validBytes;
  segment.nextOffset = result.nextOffset;
  // After an unclean stop (a crash, a failed fsync, an abandoned incarnation) the bytes just
  // validated may be in the page cache only, and nothing in this incarnation would fsync them:
  // a retried idempotent batch would be acknowledged as a duplicate of data not on disk.
  if (!clean) segment.syncWriters();
  const first = segment.size > 0 ? readHeader(fd, 0, segment.size) : null;
  const firstTimestamp = first ? headerMaxTimestamp(first) : -1;
  // Age for segment.ms: the first batch's timestamp survives a restart, as Kafka uses it.
  segment.createdAt = firstTimestamp >= 0 && firstTimestamp < now ? firstTimestamp : now;
}

/**
 * Rebuilds a closed segment's indexes from its .log with CRC checks. A damaged batch in the
 * middle of the file cuts the segment there (reads then continue with the next segment), with
 * a warning naming the file and the bytes dropped: serving damaged bytes would fail consumers.
 */
export function rebuildSegmentIndexes(segment: LogSegment, reason: string, logger: LogLogger): void {
  segment.offsetIndex.adopt(Buffer.alloc(0));
  segment.timeIndex.adopt(Buffer.alloc(0));
  resetIndexes(segment);
  const fd = fs.openSync(segment.logPath, 'r+');
  try {
    const fileSize = fs.fstatSync(fd).size;
    const result = scan(segment, fd, 0, fileSize, true, segment.baseOffset);
    if (result.validBytes < fileSize) {
      fs.ftruncateSync(fd, result.validBytes);
      logger.warn(
        {
          file: segment.logPath,
          bytesDropped: fileSize - result.validBytes,
          at: result.validBytes,
          reason: result.reason,
        },
        'Damaged segment: serving it up to the damage',
      );
    }
    segment.size = result.validBytes;
    segment.nextOffset = result.nextOffset;
  } finally {
    fs.closeSync(fd);
  }
  segment.appendTimeIndexEntryIfGrown();
  segment.offsetIndex.persist();
  segment.timeIndex.persist();
  logger.warn({ file: segment.offsetIndex.path, reason }, 'Rebuilt the indexes of a segment');
}
