import type { ClusterEvent } from '../../api/types';
import { formatDuration } from '../../lib/format';

/** One line per event, in the vocabulary of supervision (Akka/OTP) and of Kafka groups. */
export function describeEvent(event: ClusterEvent): string {
  if (event.kind === 'actor') {
    const extra =
      event.type === 'restarting' && event.delayMs !== undefined
        ? ` (attempt ${event.attempt ?? '?'}, backoff ${formatDuration(event.delayMs)})`
        : '';
    const message = event.message && event.message !== event.type ? `: ${event.message}` : '';
    return `${event.path} ${event.type}${message}${extra}`;
  }
  const r = event.rebalance;
  const members = `${r.membersBefore.length} → ${r.membersAfter.length} members`;
  if (event.phase === 'started')
    return `${r.groupId} rebalancing (${r.reason}: ${r.reasonDetail}), generation ${r.generationBefore}`;
  const duration = r.durationMs === null ? '' : `, ${formatDuration(r.durationMs)}`;
  return `${r.groupId} rebalanced: generation ${r.generationBefore} → ${r.generationAfter ?? '?'}, ${members} (${r.reason}: ${r.reasonDetail})${duration}`;
}

export function eventColor(event: ClusterEvent): string {
  if (event.kind === 'rebalance') return 'orange';
  switch (event.type) {
    case 'failed':
    case 'escalated':
    case 'stash-overflow':
    case 'message-dropped':
      return 'red';
    case 'restarting':
    case 'fault-injected':
      return 'yellow';
    case 'stopped':
      return 'gray';
    default:
      return 'teal';
  }
}
