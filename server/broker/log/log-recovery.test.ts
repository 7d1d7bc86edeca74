import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Log } from './log';
import {
  batchOf,
  captureLogger,
  flatRecords,
  readAllBatches,
  segmentFiles,
  smallConfig,
  tempLogDir,
} from './test-support/log-fixtures';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

const config = smallConfig();

/** A log of several segments, closed cleanly; returns what it holds. */
async function writtenLog(count = 200) {
  const temp = tempLogDir();
  cleanup = temp.cleanup;
  const log = await Log.open(temp.dir, config);
  for (let i = 0; i < count; i++) {
    await log.append(
      batchOf([{ value: Buffer.from(`value-${i}`.padEnd(40 + (i % 30), '.')), timestamp: 5_000 + i * 10 }]),
    );
  }
  const batches = readAllBatches(log);
  await log.close();
  return { dir: temp.dir, records: flatRecords(batches), batches };
}

function simulateCrash(dir: string): void {
  fs.unlinkSync(path.join(dir, '.clean-shutdown'));
}

function activeLog(dir: string): string {
  return segmentFiles(dir, '.log').at(-1) as string;
}

describe('Recovery of the active segment', () => {
  it('truncates garbage after an unclean stop and never serves it', async () => {
    const { dir, records } = await writtenLog();
    simulateCrash(dir);
    const file = activeLog(dir);
    const size = fs.statSync(file).size;
    fs.appendFileSync(file, Buffer.from('this is not a record batch, just some bytes a crash left'));
    const logger = captureLogger();
    const log = await Log.open(dir, config, { logger });
    expect(fs.statSync(file).size).toBe(size);
    expect(logger.warnings).toContainEqual({
      o: expect.objectContaining({ file, bytesDropped: 56, at: size }),
      msg: 'Truncated the invalid tail of the active segment',
    });
    expect(log.logEndOffset).toBe(records.length);
    expect(flatRecords(readAllBatches(log))).toEqual(records);
    expect((await log.append(batchOf([{ value: Buffer.from('after') }]))).baseOffset).toBe(records.length);
    await log.close();
  });

  it('drops a torn last batch and a batch whose CRC does not match', async () => {
    const { dir, records, batches } = await writtenLog();
    simulateCrash(dir);
    const file = activeLog(dir);
    const bytes = fs.readFileSync(file);
    const last = batches.at(-1) as Buffer;
    // A copy of the last batch with one flipped byte: header fine, CRC wrong.
    const corrupt = Buffer.from(last);
    corrupt.writeBigInt64BE(BigInt(records.length), 0);
    corrupt[corrupt.length - 3] = (corrupt[corrupt.length - 3] ?? 0) ^ 1;
    fs.writeFileSync(file, Buffer.concat([bytes, corrupt]));
    let log = await Log.open(dir, config);
    expect(log.logEndOffset).toBe(records.length);
    await log.close();
    simulateCrash(dir);
    fs.truncateSync(file, bytes.length - 7); // the last real batch loses its tail
    log = await Log.open(dir, config);
    expect(log.logEndOffset).toBe(records.length - 1);
    expect(flatRecords(readAllBatches(log))).toEqual(records.slice(0, -1));
    await log.close();
  });

  it('rebuilds damaged index files of the active and of closed segments', async () => {
    const { dir, records } = await writtenLog();
    const indexes = segmentFiles(dir, '.index');
    const timeIndexes = segmentFiles(dir, '.timeindex');
    fs.writeFileSync(indexes[1] as string, Buffer.alloc(fs.statSync(indexes[1] as string).size, 0x5a));
    fs.truncateSync(timeIndexes[2] as string, 5);
    fs.unlinkSync(indexes[3] as string);
    fs.writeFileSync(indexes.at(-1) as string, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    simulateCrash(dir);
    const logger = captureLogger();
    const log = await Log.open(dir, config, { logger });
    expect(flatRecords(readAllBatches(log))).toEqual(records);
    for (const r of records.filter((_, i) => i % 7 === 0)) {
      expect(log.offsetForTimestamp(r.timestamp)).toEqual({ offset: r.offset, timestamp: r.timestamp });
      expect(log.read(r.offset, 1).firstBatchOffset).toBe(r.offset);
    }
    expect(logger.warnings.filter((w) => /Rebuil/.test(w.msg)).length).toBeGreaterThanOrEqual(3);
    await log.close();
    for (const file of [...segmentFiles(dir, '.index'), ...segmentFiles(dir, '.timeindex')]) {
      expect(fs.statSync(file).size % (file.endsWith('.index') ? 8 : 12)).toBe(0);
    }
  });
});

describe('Damage elsewhere', () => {
  it('opens a log whose closed segment is damaged in the middle and serves up to the damage', async () => {
    const { dir, records } = await writtenLog();
    const logs = segmentFiles(dir, '.log');
    const damaged = logs[1] as string;
    const bytes = fs.readFileSync(damaged);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0xff;
    fs.writeFileSync(damaged, bytes);
    fs.unlinkSync(damaged.replace(/\.log$/, '.index'));
    const logger = captureLogger();
    const log = await Log.open(dir, config, { logger });
    expect(
      logger.warnings.some(
        (w) => w.msg.startsWith('Damaged segment') && JSON.stringify(w.o).includes(damaged),
      ),
    ).toBe(true);
    const served = flatRecords(readAllBatches(log));
    const secondBase = Number(path.basename(logs[2] as string).slice(0, 20));
    const firstBase = Number(path.basename(damaged).slice(0, 20));
    // Everything before the damaged batch and everything from the next segment on is intact.
    const lost = records.filter((r) => !served.some((s) => s.offset === r.offset));
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((r) => r.offset >= firstBase && r.offset < secondBase)).toBe(true);
    expect(served).toEqual(records.filter((r) => !lost.includes(r)));
    await log.close();
  });

  it('removes leftovers: deleted segments, temp files and orphan indexes', async () => {
    const { dir, records } = await writtenLog(30);
    const pad = (n: number) => String(n).padStart(20, '0');
    for (const name of [
      `${pad(999)}.log.deleted`,
      'log-start-offset.checkpoint.tmp',
      `${pad(5_000)}.index`,
    ]) {
      fs.writeFileSync(path.join(dir, name), 'junk');
    }
    const log = await Log.open(dir, config);
    expect(fs.readdirSync(dir).filter((n) => /deleted|tmp|05000/.test(n))).toEqual([]);
    expect(flatRecords(readAllBatches(log))).toEqual(records);
    await log.close();
  });
});
