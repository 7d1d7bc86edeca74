/**
 * Test support: the Python clients of the compatibility matrix (confluent-kafka and kafka-python,
 * run with Debian's /usr/bin/python3). One-shot commands print one JSON object; a group member
 * (`consume`) prints one JSON object per line as it goes: `{"assigned": [..]}`,
 * `{"revoked": [..]}`, `{"records": [[partition, offset, key, value], ...]}`, `{"closed": true}`,
 * and closes cleanly (leaving its group) when its stdin closes.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Broker } from '../../broker/broker';
import {
  committedOffsets,
  endOffsets,
  expectAllOnMurmur2,
  expectOneSplit,
  expectPartitionsSplit,
  keyedRecords,
  lastRebalanceId,
  PARTITIONS,
  RECORDS,
  rebalancesOf,
  waitForStable,
  waitUntil,
  type ConsumedRecord,
} from './group-checks';
import { runOk } from './run-process';
import { Spawned } from './spawned';

export const PYTHON = '/usr/bin/python3';
const SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), 'python');

export type PythonScript = 'confluent_client.py' | 'kafka_python_client.py';

/** Runs a one-shot command of a script and parses the JSON it prints. */
export async function pythonJson<T>(
  script: PythonScript,
  args: readonly string[],
  timeoutMs = 45_000,
): Promise<T> {
  const { stdout } = await runOk(PYTHON, [join(SCRIPTS, script), ...args], { timeoutMs });
  return JSON.parse(stdout) as T;
}

interface MemberLine {
  assigned?: number[];
  revoked?: number[];
  records?: [number, number, string, string][];
  closed?: boolean;
  error?: string;
}

export class PythonMember {
  readonly process: Spawned;

  constructor(script: PythonScript, bootstrap: string, topic: string, group: string, name: string) {
    this.process = new Spawned(PYTHON, ['-u', join(SCRIPTS, script), bootstrap, 'consume', topic, group], {
      name,
      timeoutMs: 120_000,
    });
  }

  private lines(): MemberLine[] {
    return this.process.json<MemberLine>();
  }

  records(): ConsumedRecord[] {
    return this.lines().flatMap((l) =>
      (l.records ?? []).map(([partition, offset, key, value]) => ({ partition, offset, key, value })),
    );
  }

  /** The partitions of its latest assignment; undefined before the first or after a revoke. */
  assigned(): number[] | undefined {
    const last = this.lines()
      .filter((l) => l.assigned !== undefined || l.revoked !== undefined)
      .at(-1);
    return last?.assigned;
  }

  errors(): string[] {
    return this.lines().flatMap((l) => (l.error === undefined ? [] : [l.error]));
  }

  waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
    return this.process.waitFor(what, check, timeoutMs);
  }

  /** Closes stdin: the member commits, leaves the group, prints `closed` and exits 0. */
  async close(): Promise<void> {
    const code = await this.process.stop('stdin');
    expect(this.lines().at(-1), `${this.process.name} closed cleanly`).toEqual({ closed: true });
    expect(code).toBe(0);
  }
}

/**
 * The matrix's group scenario for one Python client: 10,000 keyed records produced by it, read
 * back by one member that commits, a second member joining (one rebalance, the partitions split,
 * each reading its own), then the second leaving cleanly and the first taking over.
 */
export async function pythonGroupScenario(options: {
  script: PythonScript;
  broker: Broker;
  bootstrap: string;
  topic: string;
  group: string;
  prefix: string;
}): Promise<void> {
  const { script, broker, bootstrap, topic, group, prefix } = options;
  const produce = (count: number, valuePrefix: string, first: number) =>
    pythonJson<{ delivered: number; errors: string[] }>(script, [
      bootstrap,
      'produce_many',
      topic,
      String(count),
      valuePrefix,
      String(first),
    ]);
  expect(await produce(RECORDS, prefix, 0)).toMatchObject({ delivered: RECORDS, errors: [] });

  const a = new PythonMember(script, bootstrap, topic, group, `${prefix} member 1`);
  await a.waitFor('every record read', () => a.records().length >= RECORDS, 60_000);
  expectAllOnMurmur2(a.records(), keyedRecords(prefix));
  expect(a.assigned()).toEqual([0, 1, 2, 3]);
  const ends = await endOffsets(broker, topic);
  await waitUntil('offsets committed up to the end', async () =>
    (await committedOffsets(broker, group, topic)).every((c, p) => c === ends[p]),
  );
  await waitForStable(broker, group, 1, 0);
  const before = lastRebalanceId(broker, group);

  const b = new PythonMember(script, bootstrap, topic, group, `${prefix} member 2`);
  await waitForStable(broker, group, 2, before);
  const split = expectOneSplit(broker, group, topic, before);
  await b.waitFor('its assignment', () => b.assigned() !== undefined);
  await a.waitFor('its new assignment', () => (a.assigned()?.length ?? PARTITIONS) < PARTITIONS);
  const mine = [a.assigned() ?? [], b.assigned() ?? []];
  expectPartitionsSplit(mine);
  expect([...split.values()].sort()).toEqual([...mine].sort());

  // New records go to the owner of their partition; b starts from the group's commits.
  const more = keyedRecords(`${prefix}more`, 400, RECORDS);
  expect(await produce(more.length, `${prefix}more`, RECORDS)).toMatchObject({ delivered: more.length });
  const fresh = (m: PythonMember) => m.records().filter((r) => r.value.startsWith(`${prefix}more`));
  await a.waitFor('the new records read', () => fresh(a).length + fresh(b).length >= more.length);
  expect(b.records().filter((r) => !r.value.startsWith(`${prefix}more`))).toEqual([]);
  expect([...new Set(fresh(b).map((r) => r.partition))].sort()).toEqual(mine[1]);
  expectAllOnMurmur2([...fresh(a), ...fresh(b)], more);

  // A clean close leaves the group (LeaveGroup): the other member takes every partition at once.
  const beforeLeave = lastRebalanceId(broker, group);
  await b.close();
  await a.waitFor('every partition again', () => a.assigned()?.length === PARTITIONS);
  expect(rebalancesOf(broker, group, beforeLeave).map((r) => r.reason)).toEqual(['member-left']);
  const newEnds = await endOffsets(broker, topic);
  await waitUntil('every record committed', async () =>
    (await committedOffsets(broker, group, topic)).every((c, p) => c === newEnds[p]),
  );
  await a.close();
  expect([...a.errors(), ...b.errors()]).toEqual([]);
  expect((await broker.describeGroups([group]))[0]?.state).toBe('Empty');
}
