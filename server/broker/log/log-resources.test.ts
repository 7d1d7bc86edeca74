import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Log } from './log';
import { batchOf, flatRecords, smallConfig, splitBatches, tempLogDir } from './test-support/log-fixtures';

/**
 * Thousands of segments must not mean thousands of open files or resident indexes: closed
 * segments' descriptors and indexes live in LRUs bounded by maxOpenSegments/maxLoadedIndexes.
 */
const temp = tempLogDir();
afterAll(() => temp.cleanup());

function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

describe('Resource bounds', () => {
  it('keeps open descriptors bounded while reading across 1000 segments', async () => {
    const config = smallConfig({ segmentBytes: 200, indexIntervalBytes: 0 });
    const baseline = openFds();
    let log = await Log.open(temp.dir, config, { maxOpenSegments: 10, maxLoadedIndexes: 5 });
    for (let i = 0; i < 1_000; i++)
      await log.append(batchOf([{ value: Buffer.from(`record-${i}`.padEnd(100, '-')), timestamp: i }]));
    await log.flush();
    expect(log.segments().length).toBe(1_000);
    expect(openFds() - baseline).toBeLessThanOrEqual(10 + 3 + 2);
    await log.close();
    expect(openFds()).toBe(baseline);

    log = await Log.open(temp.dir, config, { maxOpenSegments: 10, maxLoadedIndexes: 5 });
    expect(openFds() - baseline).toBeLessThanOrEqual(3 + 1);
    let peak = 0;
    for (let offset = 0; offset < 1_000; offset += 1) {
      const records = flatRecords(splitBatches(log.read(offset, 1_000).records));
      expect(records[0]?.value).toBe(`record-${offset}`.padEnd(100, '-'));
      expect(log.offsetForTimestamp(999 - offset)?.offset).toBe(999 - offset);
      peak = Math.max(peak, openFds() - baseline);
    }
    expect(peak).toBeLessThanOrEqual(10 + 3);
    expect(log.resourceUsage()).toEqual({ openSegmentFiles: 10, loadedIndexes: 5 });
    await log.close();
  });
});
