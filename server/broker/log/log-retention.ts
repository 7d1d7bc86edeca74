import { cleanupDeletes, type LogConfig } from './log-config';
import type { LogSegment } from './log-segment';
import type { SegmentList } from './segment-list';

/**
 * Which closed segments retention removes, oldest first, as Kafka's deleteOldSegments decides:
 * segments wholly below the log start offset (DeleteRecords) always; then, with a "delete"
 * cleanup policy, segments whose largest timestamp is older than retention.ms, then as many as
 * keep the log at or under retention.bytes. The active segment is never deleted. Deletion is
 * always a prefix: a young segment stops the walk even if older-looking ones follow.
 */
export interface RetentionPlan {
  count: number;
  bytes: number;
  reasons: { startOffset: number; time: number; size: number };
}

/** A segment's age for retention: its largest timestamp, or its creation for an empty one. */
function segmentTimestamp(segment: LogSegment): number {
  return segment.maxTimestamp >= 0 ? segment.maxTimestamp : segment.createdAt;
}

export function planRetention(segments: SegmentList, config: LogConfig, now: number, logStartOffset: number) {
  const closed = segments.length - 1;
  const plan: RetentionPlan = { count: 0, bytes: 0, reasons: { startOffset: 0, time: 0, size: 0 } };
  const take = (reason: keyof RetentionPlan['reasons']) => {
    plan.bytes += (segments.at(plan.count) as LogSegment).size;
    plan.count += 1;
    plan.reasons[reason] += 1;
  };
  while (plan.count < closed && segments.nextOffsetOf(plan.count) <= logStartOffset) take('startOffset');
  if (!cleanupDeletes(config)) return plan;
  if (config.retentionMs >= 0) {
    while (
      plan.count < closed &&
      now - segmentTimestamp(segments.at(plan.count) as LogSegment) > config.retentionMs
    ) {
      take('time');
    }
  }
  if (config.retentionBytes >= 0) {
    let excess = segments.sizeInBytes - plan.bytes - config.retentionBytes;
    while (plan.count < closed) {
      const size = (segments.at(plan.count) as LogSegment).size;
      if (excess - size < 0) break;
      excess -= size;
      take('size');
    }
  }
  return plan;
}
