import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench [-- <filter>...]`: runs every bench/*-bench.ts in sequence, each in its own
 * process so that one benchmark's memory and page cache state do not skew the next. Each prints
 * one JSON line per figure on stdout; progress goes to stderr.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = fs
  .readdirSync(here)
  .filter((name) => name.endsWith('-bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();

let failed = 0;
for (const name of benches) {
  process.stderr.write(`# ${name}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, name)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed += 1;
    process.stderr.write(`# ${name} failed (${result.signal ?? `exit ${result.status}`})\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
