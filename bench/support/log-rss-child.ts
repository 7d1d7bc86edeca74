/**
 * Child of log-bench: opens a log of many segments in a fresh process, so that its resident
 * memory is the log's alone, reads one batch from every segment and reports RSS at each step:
 * at start (node and the codec's native modules), after opening, after reading. log-bench
 * bundles it and runs it with plain node, so no loader's memory counts.
 */
export {};

const dir = process.argv[2];
const segmentBytes = Number(process.argv[3]);
if (!dir || !segmentBytes) throw new Error('usage: log-rss-child.ts <dir> <segmentBytes>');
const collect = (globalThis as { gc?: () => void }).gc;
const rss = () => {
  collect?.();
  return process.memoryUsage().rss;
};
const bare = rss();
const { Log } = await import('../../server/broker/log/log');
const { DEFAULT_LOG_CONFIG } = await import('../../server/broker/log/log-config');
const log = await Log.open(dir, { ...DEFAULT_LOG_CONFIG, segmentBytes });
const opened = rss();
for (const segment of log.segments()) log.read(segment.baseOffset, 1);
const afterReads = rss();
process.stdout.write(JSON.stringify({ bare, opened, afterReads, segments: log.segments().length }) + '\n');
await log.close();
