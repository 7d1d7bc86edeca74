import type { ClusterRecord, TailBatch, TailRequest } from '../../cluster/types';
import { matchesFilter, toClusterRecord } from './memory-log';
import type { ReadableTopic } from './memory-read';

type Encode = (cursor: { v: 1; topic: string; dir: 'f'; parts: [number, number, number, null][] }) => string;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The test double's live tail: polls the partitions for records past its positions. (The real
 * broker wakes on appends, as Fetch's long poll does.) Each batch carries the cursor to resume.
 */
export async function* tailNewRecords(
  topic: ReadableTopic,
  request: TailRequest,
  start: readonly (readonly [number, number])[] | undefined,
  signal: AbortSignal,
  pollMs: number,
  encode: Encode,
): AsyncGenerator<TailBatch> {
  const chosen = request.partitions ?? topic.logs.map((_, i) => i);
  const positions = new Map<number, number>(start ?? chosen.map((p) => [p, topic.logs[p]?.endOffset ?? 0]));
  while (!signal.aborted) {
    const records: ClusterRecord[] = [];
    for (const [partition, pos] of positions) {
      const log = topic.logs[partition];
      if (!log) continue;
      for (let o = Math.max(pos, log.startOffset); o < log.endOffset; o++) {
        const r = log.at(o);
        if (r && matchesFilter(r, request.filter)) {
          records.push(toClusterRecord(topic.name, partition, r, topic.timestampType, request.previewBytes));
        }
      }
      positions.set(partition, log.endOffset);
    }
    if (records.length > 0) {
      records.sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset);
      const parts = [...positions].map(([p, pos]): [number, number, number, null] => [p, pos, 0, null]);
      yield { cursor: encode({ v: 1, topic: topic.name, dir: 'f', parts }), records };
    }
    await sleep(pollMs, signal);
  }
}
