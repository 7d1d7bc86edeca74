import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { rawRequest, type RawRequestInput } from '../testing/raw-request';
import { runOk } from '../testing/run-process';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'testing', 'python', 'alter_configs.py');

type Resource = RawRequestInput<'AlterConfigs'>['resources'][number];
type Config = Resource['configs'][number];

let s: BrokerListener | undefined;
let admin: Admin | undefined;

afterEach(async () => {
  await admin?.disconnect();
  admin = undefined;
  await s?.stop();
  s = undefined;
});

/** A broker with topic "t" overriding retention.ms and segment.ms; retention.ms has a broker default. */
async function start(): Promise<BrokerListener> {
  s = await startBrokerListener({ broker: { topicDefaults: { 'retention.ms': '86400000' } } });
  await s.broker.createTopic('t', {
    partitions: 2,
    configs: { 'retention.ms': '5000', 'segment.ms': '60000' },
  });
  return s;
}

function overrides(b: BrokerListener, topic = 't'): Record<string, string> {
  const own = b.broker.describeTopicConfigs(topic).filter((c) => c.source === 'topic');
  return Object.fromEntries(own.map((c) => [c.name, c.value]));
}

async function connectAdmin(b: BrokerListener): Promise<Admin> {
  const kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  admin = kafka.admin();
  await admin.connect();
  return admin;
}

async function alterRaw(b: BrokerListener, configs: Config[], version = 1, validateOnly = false) {
  const response = await rawRequest(b.port, 'AlterConfigs', version, {
    validateOnly,
    resources: [{ resourceType: 2, resourceName: 't', configs }],
  });
  const [result] = response.responses;
  if (result === undefined) throw new Error('no result');
  return result;
}

describe('AlterConfigs', () => {
  it('kafkajs: replaces the overrides; describeConfigs sees the new value and the defaults of omitted ones', async () => {
    const b = await start();
    const a = await connectAdmin(b);
    await a.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 't',
          configEntries: [
            { name: 'max.message.bytes', value: '2048' },
            { name: 'segment.ms', value: '120000' },
          ],
        },
      ],
    });
    expect(overrides(b)).toEqual({ 'max.message.bytes': '2048', 'segment.ms': '120000' });
    const described = await a.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: 't', configNames: ['max.message.bytes', 'retention.ms'] },
      ],
    });
    const entries = Object.fromEntries(
      (described.resources[0]?.configEntries ?? []).map((e) => [e.configName, e]),
    );
    expect(entries['max.message.bytes']).toMatchObject({ configValue: '2048', isDefault: false });
    // retention.ms was not given: its override is gone and the broker default applies again
    expect(entries['retention.ms']?.configValue).toBe('86400000');
    expect(b.broker.describeTopicConfigs('t').find((c) => c.name === 'retention.ms')?.source).toBe('broker');
  });

  it('kafkajs: validateOnly checks and changes nothing; a bad value is INVALID_CONFIG', async () => {
    const b = await start();
    const a = await connectAdmin(b);
    const before = overrides(b);
    const resource = (value: string) => ({
      type: ConfigResourceTypes.TOPIC,
      name: 't',
      configEntries: [{ name: 'cleanup.policy', value }],
    });
    await a.alterConfigs({ validateOnly: true, resources: [resource('compact')] });
    expect(overrides(b)).toEqual(before);
    await expect(
      a.alterConfigs({ validateOnly: true, resources: [resource('shred')] }),
    ).rejects.toMatchObject({
      type: 'INVALID_CONFIG',
    });
    await expect(
      a.alterConfigs({ validateOnly: false, resources: [resource('shred')] }),
    ).rejects.toMatchObject({
      type: 'INVALID_CONFIG',
    });
    expect(overrides(b)).toEqual(before);
  });

  it.each([0, 1, 2])(
    'v%i: an empty list removes every override; a null value is no override',
    async (version) => {
      const b = await start();
      expect(await alterRaw(b, [], version)).toMatchObject({
        errorCode: 0,
        errorMessage: null,
        resourceName: 't',
      });
      expect(overrides(b)).toEqual({});
      await alterRaw(b, [
        { name: 'retention.ms', value: null },
        { name: 'flush.ms', value: '100' },
      ]);
      expect(overrides(b)).toEqual({ 'flush.ms': '100' });
    },
  );

  it('bad input changes nothing and names the key: bad value, unknown key, a key twice', async () => {
    const b = await start();
    const before = overrides(b);
    const cases: [Config[], number, RegExp][] = [
      [
        [
          { name: 'max.message.bytes', value: '4096' },
          { name: 'retention.ms', value: 'never' },
        ],
        KafkaError.INVALID_CONFIG,
        /retention\.ms/,
      ],
      [[{ name: 'segment.bytes', value: '1' }], KafkaError.INVALID_CONFIG, /segment\.bytes/],
      [[{ name: 'retention.msx', value: '1' }], KafkaError.INVALID_CONFIG, /Did you mean 'retention\.ms'/],
      [[{ name: 'nope.nope', value: null }], KafkaError.INVALID_CONFIG, /nope\.nope/],
      [[{ name: '__proto__', value: '1' }], KafkaError.INVALID_CONFIG, /__proto__/],
      [
        [
          { name: 'retention.ms', value: '1' },
          { name: 'retention.ms', value: '2' },
        ],
        KafkaError.INVALID_REQUEST,
        /more than once/,
      ],
    ];
    for (const [configs, code, message] of cases) {
      for (const validateOnly of [false, true]) {
        const result = await alterRaw(b, configs, 1, validateOnly);
        expect(result.errorCode, JSON.stringify(configs)).toBe(code);
        expect(result.errorMessage).toMatch(message);
      }
    }
    expect(overrides(b)).toEqual(before);
  });

  it('each resource gets its own result: unknown topic, broker 0 read-only, other types, a good one applied', async () => {
    const b = await start();
    await b.broker.createTopic('u', { partitions: 1 });
    const response = await rawRequest(b.port, 'AlterConfigs', 2, {
      validateOnly: false,
      resources: [
        { resourceType: 2, resourceName: 'missing', configs: [] },
        { resourceType: 4, resourceName: '0', configs: [{ name: 'num.partitions', value: '3' }] },
        { resourceType: 32, resourceName: 'g', configs: [] },
        { resourceType: 2, resourceName: 't', configs: [{ name: 'retention.ms', value: 'x' }] },
        { resourceType: 2, resourceName: 'u', configs: [{ name: 'retention.ms', value: '1000' }] },
      ],
    });
    expect(response.responses.map((r) => [r.resourceType, r.resourceName, r.errorCode])).toEqual([
      [2, 'missing', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      [4, '0', KafkaError.INVALID_CONFIG],
      [32, 'g', KafkaError.INVALID_REQUEST],
      [2, 't', KafkaError.INVALID_CONFIG],
      [2, 'u', KafkaError.NONE],
    ]);
    expect(response.responses[1]?.errorMessage).toMatch(/read-only/);
    expect(overrides(b, 't')).toEqual({ 'retention.ms': '5000', 'segment.ms': '60000' });
    expect(overrides(b, 'u')).toEqual({ 'retention.ms': '1000' });
  });

  it.each(['kafka-python', 'confluent'])('%s alter_configs', async (client) => {
    const b = await start();
    const { stdout } = await runOk(PYTHON, [SCRIPT, b.bootstrap, client, 't'], { timeoutMs: 25_000 });
    const out = JSON.parse(stdout) as Record<string, { error: string; message: string | null }> & {
      after: Record<string, string>;
    };
    expect(out.ok?.error).toBe('NONE');
    expect(out.bad?.error).toMatch(/^(InvalidConfigurationError|INVALID_CONFIG)$/);
    expect(out.bad?.message).toMatch(/retention\.ms/);
    expect(out.broker?.error).toMatch(/^(InvalidConfigurationError|INVALID_CONFIG)$/);
    expect(out.after).toEqual({
      'max.message.bytes': '4096',
      'retention.ms': '86400000',
      'segment.ms': '604800000',
    });
    expect(overrides(b)).toEqual({ 'max.message.bytes': '4096' });
    expect(b.errors()).toEqual([]);
  });
});
