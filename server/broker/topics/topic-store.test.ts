import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerError } from '../errors';
import { writeFileAtomic } from '../atomic-file';
import { isTopicId, topicIdFromBytes, topicIdToBytes, topicIdToKafkaString } from './topic-metadata';
import { TopicStore, type TopicStoreOptions } from './topic-store';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-topics-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const metaFile = () => join(dataDir, 'meta', 'topics.json');
const prevFile = () => `${metaFile()}.prev`;

async function rejection(promise: Promise<unknown>): Promise<BrokerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BrokerError) return error;
    throw error;
  }
  throw new Error('expected a BrokerError');
}

function syncFailure(fn: () => unknown): BrokerError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BrokerError) return error;
    throw error;
  }
  throw new Error('expected a BrokerError');
}

function load(options: TopicStoreOptions = {}): Promise<TopicStore> {
  return TopicStore.load(dataDir, options);
}

describe('TopicStore: create, read, reload', () => {
  it('starts empty and creates meta/ under the data dir', async () => {
    const store = await load();
    expect(store.list()).toEqual([]);
    expect(await readdir(join(dataDir, 'meta'))).toEqual([]);
  });

  it('persists topics with id, partitions, overrides and creation time across reload', async () => {
    const store = await load({ now: () => 1_700_000_000_000 });
    const orders = await store.create('orders', 6, {
      'retention.ms': '-1',
      'cleanup.policy': 'delete,compact',
    });
    await store.create('audit', 1);
    expect(isTopicId(orders.topicId)).toBe(true);
    expect(orders).toEqual({
      name: 'orders',
      topicId: orders.topicId,
      partitions: 6,
      configs: { 'retention.ms': -1, 'cleanup.policy': 'compact,delete' },
      createdAt: 1_700_000_000_000,
    });

    const reloaded = await load();
    expect(reloaded.list().map((t) => t.name)).toEqual(['audit', 'orders']);
    expect(reloaded.get('orders')).toEqual(orders);
    expect(reloaded.getById(orders.topicId)?.name).toBe('orders');
    expect(reloaded.get('audit')?.configs).toEqual({});
    expect(reloaded.get('missing')).toBeUndefined();
  });

  it('hands out frozen metadata', async () => {
    const store = await load();
    const topic = await store.create('t', 1, { 'retention.ms': 5 });
    expect(Object.isFrozen(topic)).toBe(true);
    expect(Object.isFrozen(topic.configs)).toBe(true);
  });

  it('gives each topic a distinct id and converts ids to Kafka forms', async () => {
    const store = await load();
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await store.create(`t${i}`, 1)).topicId);
    expect(ids.size).toBe(20);
    for (const id of ids) {
      expect(topicIdFromBytes(topicIdToBytes(id))).toBe(id);
      expect(topicIdToBytes(id)).toHaveLength(16);
      expect(topicIdToKafkaString(id)).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });

  it('rejects bad creates with specific errors and writes nothing', async () => {
    const store = await load();
    await store.create('metrics_cpu', 3);
    const before = await readFile(metaFile(), 'utf8');
    const cases: [Promise<unknown>, string, RegExp][] = [
      [store.create('a b', 1), 'INVALID_TOPIC_EXCEPTION', /' ' is not allowed/],
      [store.create('..', 1), 'INVALID_TOPIC_EXCEPTION', /reserved/],
      [store.create('__consumer_offsets', 1), 'INVALID_TOPIC_EXCEPTION', /internal/],
      [store.create('metrics_cpu', 1), 'TOPIC_ALREADY_EXISTS', /^Topic 'metrics_cpu' already exists$/],
      [
        store.create('metrics.cpu', 1),
        'INVALID_TOPIC_EXCEPTION',
        /collides with existing topic 'metrics_cpu'/,
      ],
      [store.create('t', 0), 'INVALID_PARTITIONS', /between 1 and 10000, got 0/],
      [store.create('t', 10_001), 'INVALID_PARTITIONS', /between 1 and 10000, got 10001/],
      [store.create('t', 1.5), 'INVALID_PARTITIONS', /got 1\.5/],
      [
        store.create('t', 1, { 'retention.ms': 'abc' }),
        'INVALID_CONFIG',
        /retention\.ms: must be an integer >= -1/,
      ],
      [store.create('t', 1, { 'no.such.key': '1' }), 'INVALID_CONFIG', /'no\.such\.key'/],
    ];
    for (const [promise, code, message] of cases) {
      const error = await rejection(promise);
      expect(error.code, error.message).toBe(code);
      expect(error.message).toMatch(message);
    }
    expect(store.list().map((t) => t.name)).toEqual(['metrics_cpu']);
    expect(await readFile(metaFile(), 'utf8')).toBe(before);
  });

  it('lets the broker create and delete internal topics', async () => {
    const store = await load();
    await store.create('__consumer_offsets', 50, { 'cleanup.policy': 'compact' }, { allowInternal: true });
    expect((await load()).get('__consumer_offsets')?.partitions).toBe(50);
    expect((await rejection(store.delete('__consumer_offsets'))).code).toBe('INVALID_TOPIC_EXCEPTION');
    await store.delete('__consumer_offsets', { allowInternal: true });
    expect(store.has('__consumer_offsets')).toBe(false);
  });

  it('validateCreate checks without storing', async () => {
    const store = await load();
    const planned = store.validateCreate('orders', 3, { 'segment.bytes': '1024' });
    expect(planned).toMatchObject({ name: 'orders', partitions: 3, configs: { 'segment.bytes': 1024 } });
    expect(store.has('orders')).toBe(false);
    expect(syncFailure(() => store.validateCreate('orders', 0)).code).toBe('INVALID_PARTITIONS');
  });
});

describe('TopicStore: alterConfigs, addPartitions, delete', () => {
  it('sets and deletes config keys incrementally, persisted', async () => {
    const store = await load();
    await store.create('orders', 1, { 'retention.ms': '1000', 'segment.bytes': '2048' });
    const altered = await store.alterConfigs('orders', {
      set: { 'cleanup.policy': 'compact', 'retention.ms': 5000 },
      delete: ['segment.bytes', 'flush.ms'],
    });
    const expected = { 'retention.ms': 5000, 'cleanup.policy': 'compact' };
    expect(altered.configs).toEqual(expected);
    expect((await load()).get('orders')?.configs).toEqual(expected);
  });

  it('validates the whole request and changes nothing on error', async () => {
    const store = await load();
    const original = await store.create('orders', 1, { 'retention.ms': '1000' });
    const cases: [Promise<unknown>, string, RegExp][] = [
      [store.alterConfigs('orders', { set: { 'segment.bytes': '10' } }), 'INVALID_CONFIG', /between 1024/],
      [store.alterConfigs('orders', { delete: ['nope'] }), 'INVALID_CONFIG', /'nope'/],
      [
        store.alterConfigs('orders', { set: { 'retention.ms': '1' }, delete: ['retention.ms'] }),
        'INVALID_REQUEST',
        /retention\.ms is both set and deleted/,
      ],
      [
        store.alterConfigs('ghost', { set: {} }),
        'UNKNOWN_TOPIC_OR_PARTITION',
        /^Topic 'ghost' does not exist$/,
      ],
    ];
    for (const [promise, code, message] of cases) {
      const error = await rejection(promise);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    }
    expect(store.get('orders')).toBe(original);
  });

  it('only grows partitions', async () => {
    const store = await load();
    await store.create('orders', 6);
    for (const n of [6, 3]) {
      const error = await rejection(store.addPartitions('orders', n));
      expect(error.code).toBe('INVALID_PARTITIONS');
      expect(error.message).toBe("Topic 'orders' already has 6 partitions; the new count must be greater");
    }
    expect((await rejection(store.addPartitions('orders', 10_001))).message).toMatch(/between 1 and 10000/);
    expect((await rejection(store.addPartitions('orders', 7.5))).code).toBe('INVALID_PARTITIONS');
    expect((await rejection(store.addPartitions('ghost', 8))).code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const grown = await store.addPartitions('orders', 10_000);
    expect(grown.partitions).toBe(10_000);
    expect((await load()).get('orders')?.partitions).toBe(10_000);
  });

  it('deletes topics, persisted, and frees the name', async () => {
    const store = await load();
    const first = await store.create('orders', 2);
    const deleted = await store.delete('orders');
    expect(deleted).toEqual(first);
    expect(store.get('orders')).toBeUndefined();
    expect(store.getById(first.topicId)).toBeUndefined();
    expect((await load()).list()).toEqual([]);
    expect((await rejection(store.delete('orders'))).code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const again = await store.create('orders', 1);
    expect(again.topicId).not.toBe(first.topicId);
  });
});

describe('TopicStore: concurrency', () => {
  it('serialises concurrent changes without losing any', async () => {
    const store = await load();
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.create(`t${i}`, 1)));
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.addPartitions(`t${i}`, 2 + i)));
    const reloaded = await load();
    expect(reloaded.list()).toHaveLength(30);
    for (let i = 0; i < 30; i++) expect(reloaded.get(`t${i}`)?.partitions).toBe(2 + i);
  });

  it('lets exactly one of two racing creates of a name win', async () => {
    const store = await load();
    const results = await Promise.allSettled([store.create('x', 1), store.create('x', 2)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected?.reason as BrokerError).code).toBe('TOPIC_ALREADY_EXISTS');
  });
});

describe('TopicStore: crash safety', () => {
  it('keeps the previous good copy of the registry', async () => {
    const store = await load();
    await store.create('a', 1);
    await store.create('b', 1);
    const previous = JSON.parse(await readFile(prevFile(), 'utf8')) as { topics: { name: string }[] };
    expect(previous.topics.map((t) => t.name)).toEqual(['a']);
  });

  it('ignores and removes temp files of an interrupted write', async () => {
    const store = await load();
    await store.create('a', 1);
    await writeFile(`${metaFile()}.tmp-999-1`, '{"version":1,"topics":[{"na');
    const warnings: string[] = [];
    const reloaded = await load({ onWarning: (m) => warnings.push(m) });
    expect(reloaded.list().map((t) => t.name)).toEqual(['a']);
    expect(warnings.join()).toMatch(/topics\.json\.tmp-999-1/);
    expect((await readdir(join(dataDir, 'meta'))).sort()).toEqual(['topics.json']);
  });

  it('falls back to the previous copy when the main file is truncated, with a warning naming it', async () => {
    const store = await load();
    await store.create('a', 1);
    await store.create('b', 1);
    const content = await readFile(metaFile(), 'utf8');
    await writeFile(metaFile(), content.slice(0, content.length / 2));
    const warnings: string[] = [];
    const reloaded = await load({ onWarning: (m) => warnings.push(m) });
    expect(reloaded.list().map((t) => t.name)).toEqual(['a']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(metaFile());
    expect(warnings[0]).toMatch(/is damaged/);

    // The next change writes a good main file again.
    await reloaded.create('c', 1);
    expect((await load()).list().map((t) => t.name)).toEqual(['a', 'c']);
  });

  it('fails with KAFKA_STORAGE_ERROR naming the file when there is no good copy', async () => {
    const store = await load();
    await store.create('a', 1);
    await writeFile(metaFile(), '{"version":1,"topics":[');
    const error = await rejection(load());
    expect(error.code).toBe('KAFKA_STORAGE_ERROR');
    expect(error.message).toContain(metaFile());
    expect(error.message).toMatch(/is damaged .*does not exist.*Restore the file from a backup/);
  });

  it('treats an empty file or one with wrong content as damaged, naming the problem', async () => {
    await mkdir(join(dataDir, 'meta'));
    const bad: [string, RegExp][] = [
      ['', /the file is empty/],
      ['[]', /unexpected content/],
      ['{"version":2,"topics":[]}', /unexpected content at version/],
      [
        JSON.stringify({
          version: 1,
          topics: [
            {
              name: 'a b',
              topicId: '6f1c3f52-1d1e-4e7f-9a55-7c1f0d6a9b01',
              partitions: 1,
              configs: {},
              createdAt: 0,
            },
          ],
        }),
        /topic 'a b': .*not allowed/,
      ],
      [
        JSON.stringify({
          version: 1,
          topics: [{ name: 'a', topicId: 'nope', partitions: 1, configs: {}, createdAt: 0 }],
        }),
        /topic 'a': 'nope' is not a topic id/,
      ],
      [
        JSON.stringify({
          version: 1,
          topics: [
            {
              name: 'a',
              topicId: '6f1c3f52-1d1e-4e7f-9a55-7c1f0d6a9b01',
              partitions: 1,
              configs: { 'segment.bytes': 1 },
              createdAt: 0,
            },
          ],
        }),
        /topic 'a': Invalid value '1' for configuration segment\.bytes/,
      ],
    ];
    for (const [content, reason] of bad) {
      await writeFile(metaFile(), content);
      const error = await rejection(load());
      expect(error.code).toBe('KAFKA_STORAGE_ERROR');
      expect(error.message).toMatch(reason);
    }
  });

  it('leaves memory and disk unchanged when a write fails, and keeps working after', async () => {
    let failNext = false;
    const store = await load({
      writeFile: async (path, data) => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        }
        await writeFileAtomic(path, data);
      },
    });
    await store.create('a', 1);
    failNext = true;
    const error = await rejection(store.create('b', 1));
    expect(error.code).toBe('KAFKA_STORAGE_ERROR');
    expect(error.message).toMatch(/Could not write topic registry .*ENOSPC/);
    expect(store.has('b')).toBe(false);
    expect((await load()).list().map((t) => t.name)).toEqual(['a']);
    await store.create('b', 1);
    expect((await load()).list().map((t) => t.name)).toEqual(['a', 'b']);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file', async () => {
    const path = join(dataDir, 'f.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(dataDir)).toEqual(['f.json']);
  });

  it('cleans up its temp file when the rename fails', async () => {
    const target = join(dataDir, 'is-a-dir');
    await mkdir(join(target, 'child'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect((await readdir(dataDir)).sort()).toEqual(['is-a-dir']);
  });
});
