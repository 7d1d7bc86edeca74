import { Log } from '../log';
import { CRASH_CONFIG, crashBatch } from './crash-batches';

/**
 * Child process of the crash test: appends deterministic batches forever and prints each base
 * offset once its append has resolved (stdout to a pipe is synchronous on Linux, so a printed
 * offset was acknowledged). The test kills it with SIGKILL at a random moment.
 */
const dir = process.argv[2];
if (!dir) throw new Error('usage: append-loop.ts <partition dir>');
const log = await Log.open(dir, CRASH_CONFIG);
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const info = await log.append(crashBatch(log.logEndOffset));
  process.stdout.write(`${info.baseOffset}\n`);
  // Short pauses keep the volume modest while kills still land mid-write most of the time.
  if (i % 8 === 7) await new Promise((resolve) => setTimeout(resolve, 1));
}
