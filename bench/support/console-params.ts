/** The console bench's volumes and page shape (see console-bench.ts). BENCH_QUICK=1 shrinks the volumes. */

export const QUICK = process.env.BENCH_QUICK === '1';
export const TOPIC = 'console-bench';
export const LIVE_TOPIC = 'console-bench-live';
export const PARTITIONS = 12;
export const RECORDS_PER_BATCH = 1_000;
export const TOTAL_RECORDS = QUICK ? 1_200_000 : 10_000_000;
export const BATCHES_PER_PARTITION = Math.ceil(TOTAL_RECORDS / RECORDS_PER_BATCH / PARTITIONS);
/** The records' CreateTime spans this much, ending an hour ago. */
export const SPAN_MS = 24 * 3_600_000;
/** Every OUT_OF_ORDER_EVERY-th record of a batch is stamped this much earlier than its place. */
export const OUT_OF_ORDER_EVERY = 97;
export const OUT_OF_ORDER_MS = 45_000;
/** What the Messages page asks for (web/src/features/messages/messages-tab.tsx). */
export const PAGE_SIZE = 200;
export const PREVIEW_BYTES = 512;
export const API_REQUESTS = QUICK ? 40 : 200;
export const API_WARMUP = 20;
export const BROWSER_READS = QUICK ? 5 : 20;
export const LIVE_SECONDS = QUICK ? 15 : 60;
export const LIVE_RATE = 2_000;
export const LIVE_RECORD_BYTES = 200;
