import { type LogConfig } from '../log-config';
import { encodeRecordBatch } from '../record-batch';
import { smallConfig } from './log-fixtures';

/**
 * The crash test's data: the batch appended at a given base offset is a pure function of that
 * offset, so the test can check what a killed child wrote without talking to it.
 */
export const CRASH_CONFIG: LogConfig = smallConfig({ segmentBytes: 64 * 1024, indexIntervalBytes: 1024 });

export function crashBatch(baseOffset: number): Buffer {
  const count = 1 + (baseOffset % 7);
  return encodeRecordBatch(
    Array.from({ length: count }, (_, i) => ({
      key: Buffer.from(`key-${baseOffset + i}`),
      value: Buffer.alloc(20 + ((baseOffset * 31 + i * 17) % 400), (baseOffset + i) % 251),
      timestamp: 1_600_000_000_000 + baseOffset + i,
    })),
    { baseOffset },
  );
}
