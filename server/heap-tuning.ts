import v8 from 'node:v8';

/**
 * V8's heap growth for the broker process (`npm start`; an embedding process keeps its own flags).
 *
 * V8 counts the external memory allocated since the last full collection (ArrayBuffers: every
 * socket read, every produce frame, every fetch read) against the old generation's limit, and
 * sets that limit at live size times a growing factor it picks between 1.1 and 4 from its
 * measured speeds. A broker that has idled (the memory reducer ran) or served small requests for
 * a while gets a factor near 2 over a ~20 MB live heap, i.e. ~20 MB of slack, and a produce or
 * fetch burst then moves that much Buffer memory every few requests: a full mark-compact every
 * 50-100 ms, each marking the whole heap (kcat, 2,000,000 × 100 B after a 10 s warm-up at 1,000
 * records/s: 33 mark-compacts and 0.6-0.8 s of broker CPU producing, 0.4-0.6 s consuming, against
 * 1 mark-compact and 0.3-0.4 s / 0.13-0.2 s for the same broker fresh). A fixed factor of 4
 * (V8's own maximum) keeps the slack above a burst's churn; the live heap is unchanged, what dies
 * between collections is Buffer garbage.
 */
export const HEAP_GROWING_PERCENT = 300;

const FLAG = 'heap-growing-percent';

/** Applies HEAP_GROWING_PERCENT unless the operator set the flag on the node command line. */
export function tuneHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): boolean {
  const mentioned = (arg: string) => arg.replace(/_/g, '-').includes(FLAG);
  if (execArgv.some(mentioned) || mentioned(nodeOptions)) return false;
  v8.setFlagsFromString(`--${FLAG}=${HEAP_GROWING_PERCENT}`);
  return true;
}
