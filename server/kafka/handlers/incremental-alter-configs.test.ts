import { Admin as PlatformaticAdmin } from '@platformatic/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { rawRequest, type RawRequestInput } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

type Config = RawRequestInput<'IncrementalAlterConfigs'>['resources'][number]['configs'][number];
const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;

function value(b: BrokerListener, topic: string, name: string): string | undefined {
  return b.broker.describeTopicConfigs(topic).find((c) => c.name === name)?.value;
}

async function alter(
  b: BrokerListener,
  configs: Config[],
  options: { validateOnly?: boolean; topic?: string } = {},
) {
  const response = await rawRequest(b.port, 'IncrementalAlterConfigs', 1, {
    validateOnly: options.validateOnly ?? false,
    resources: [{ resourceType: 2, resourceName: options.topic ?? 't', configs }],
  });
  const [result] = response.responses;
  if (result === undefined) throw new Error('no result');
  return result;
}

describe('IncrementalAlterConfigs', () => {
  it('SET and DELETE reach the topic; DELETE falls back to the broker default', async () => {
    s = await startBrokerListener({ broker: { topicDefaults: { 'retention.ms': '86400000' } } });
    await s.broker.createTopic('t', { partitions: 2 });
    const set = await alter(s, [
      { name: 'retention.ms', configOperation: SET, value: '5000' },
      { name: 'max.message.bytes', configOperation: SET, value: '2048' },
    ]);
    expect(set).toMatchObject({ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't' });
    expect(value(s, 't', 'retention.ms')).toBe('5000');
    expect(value(s, 't', 'max.message.bytes')).toBe('2048');
    await alter(s, [{ name: 'retention.ms', configOperation: DELETE, value: null }]);
    expect(value(s, 't', 'retention.ms')).toBe('86400000');
  });

  it('APPEND and SUBTRACT on cleanup.policy; refused on other configs', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    expect(
      (await alter(s, [{ name: 'cleanup.policy', configOperation: APPEND, value: 'compact' }])).errorCode,
    ).toBe(0);
    expect(value(s, 't', 'cleanup.policy')).toBe('compact,delete');
    expect(
      (await alter(s, [{ name: 'cleanup.policy', configOperation: SUBTRACT, value: 'delete' }])).errorCode,
    ).toBe(0);
    expect(value(s, 't', 'cleanup.policy')).toBe('compact');
    const emptied = await alter(s, [{ name: 'cleanup.policy', configOperation: SUBTRACT, value: 'compact' }]);
    expect(emptied.errorCode).toBe(KafkaError.INVALID_CONFIG);
    const notList = await alter(s, [{ name: 'retention.ms', configOperation: APPEND, value: '1' }]);
    expect(notList).toMatchObject({ errorCode: KafkaError.INVALID_CONFIG });
    expect(notList.errorMessage).toMatch(/append is not allowed for config key: retention\.ms/);
    expect(value(s, 't', 'cleanup.policy')).toBe('compact');
  });

  it('bad input changes nothing: unknown key, bad value, a key twice, unknown topic, broker and other resources', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    const cases: [Config[], number, RegExp][] = [
      [
        [{ name: 'retention.msx', configOperation: SET, value: '1' }],
        KafkaError.INVALID_CONFIG,
        /Did you mean/,
      ],
      [
        [
          { name: 'segment.ms', configOperation: SET, value: '1000' },
          { name: 'retention.ms', configOperation: SET, value: 'never' },
        ],
        KafkaError.INVALID_CONFIG,
        /retention\.ms/,
      ],
      [
        [
          { name: 'retention.ms', configOperation: SET, value: '1' },
          { name: 'retention.ms', configOperation: DELETE, value: null },
        ],
        KafkaError.INVALID_REQUEST,
        /more than once/,
      ],
      [[{ name: 'retention.ms', configOperation: 9, value: '1' }], KafkaError.INVALID_REQUEST, /operation 9/],
      [
        [{ name: 'nope.nope', configOperation: DELETE, value: null }],
        KafkaError.INVALID_CONFIG,
        /nope\.nope/,
      ],
    ];
    for (const [configs, code, message] of cases) {
      const result = await alter(s, configs);
      expect(result.errorCode, JSON.stringify(configs)).toBe(code);
      expect(result.errorMessage).toMatch(message);
    }
    expect(value(s, 't', 'segment.ms')).toBe('604800000');
    expect((await alter(s, [], { topic: 'missing' })).errorCode).toBe(KafkaError.UNKNOWN_TOPIC_OR_PARTITION);
    const others = await rawRequest(s.port, 'IncrementalAlterConfigs', 0, {
      validateOnly: false,
      resources: [
        {
          resourceType: 4,
          resourceName: '0',
          configs: [{ name: 'num.partitions', configOperation: SET, value: '3' }],
        },
        { resourceType: 32, resourceName: 'g', configs: [] },
      ],
    });
    expect(others.responses.map((r) => r.errorCode)).toEqual([
      KafkaError.INVALID_CONFIG,
      KafkaError.INVALID_REQUEST,
    ]);
  });

  it('validateOnly checks and changes nothing', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    const ok = await alter(s, [{ name: 'retention.ms', configOperation: SET, value: '1000' }], {
      validateOnly: true,
    });
    expect(ok.errorCode).toBe(0);
    expect(value(s, 't', 'retention.ms')).toBe('604800000');
    const bad = await alter(s, [{ name: 'retention.ms', configOperation: SET, value: '-5' }], {
      validateOnly: true,
    });
    expect(bad.errorCode).toBe(KafkaError.INVALID_CONFIG);
  });

  it('@platformatic/kafka incrementalAlterConfigs', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    const admin = new PlatformaticAdmin({ clientId: 'plt', bootstrapBrokers: [s.bootstrap], retries: 0 });
    try {
      await admin.incrementalAlterConfigs({
        resources: [
          {
            resourceType: 2,
            resourceName: 't',
            configs: [{ name: 'message.timestamp.type', configOperation: SET, value: 'LogAppendTime' }],
          },
        ],
      });
      expect(value(s, 't', 'message.timestamp.type')).toBe('LogAppendTime');
      await expect(
        admin.incrementalAlterConfigs({
          resources: [
            {
              resourceType: 2,
              resourceName: 't',
              configs: [{ name: 'segment.bytes', configOperation: SET, value: '1' }],
            },
          ],
        }),
      ).rejects.toThrow();
    } finally {
      await admin.close();
    }
  });
});
