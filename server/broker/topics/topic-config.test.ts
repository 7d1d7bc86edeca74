import { describe, expect, it } from 'vitest';
import { BrokerError } from '../errors';
import { DEFAULT_LOG_CONFIG, validateLogConfig } from '../log/log-config';
import {
  KAFKA_TOPIC_CONFIG_DEFAULTS,
  TOPIC_CONFIG_DEFS,
  TOPIC_CONFIG_NAMES,
  describeTopicConfig,
  normaliseCleanupPolicy,
  parseTopicConfigValue,
  resolveTopicConfig,
  toLogConfig,
  validateTopicConfigName,
  validateTopicConfigs,
  type ConfigInput,
  type TopicConfigName,
} from './topic-config';

function failure(fn: () => unknown): BrokerError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BrokerError) return error;
    throw error;
  }
  throw new Error('expected a BrokerError');
}

describe('Kafka defaults', () => {
  it('are the documented ones', () => {
    expect(KAFKA_TOPIC_CONFIG_DEFAULTS).toEqual({
      'cleanup.policy': 'delete',
      'delete.retention.ms': 86_400_000,
      'flush.messages': Number.MAX_SAFE_INTEGER,
      'flush.ms': Number.MAX_SAFE_INTEGER,
      'index.interval.bytes': 4096,
      'max.message.bytes': 1_048_588,
      'message.timestamp.type': 'CreateTime',
      'min.compaction.lag.ms': 0,
      'retention.bytes': -1,
      'retention.ms': 604_800_000,
      'segment.bytes': 1_073_741_824,
      'segment.ms': 604_800_000,
      'sluice.fsync.before.ack': false,
    });
  });

  it('document every config', () => {
    for (const name of TOPIC_CONFIG_NAMES) {
      expect(TOPIC_CONFIG_DEFS[name].documentation.length, name).toBeGreaterThan(40);
    }
  });
});

describe('parseTopicConfigValue', () => {
  // [key, accepted inputs with their parsed values, rejected inputs, rule in the message]
  const numeric: [TopicConfigName, [ConfigInput, number][], ConfigInput[], string][] = [
    [
      'retention.ms',
      [
        ['-1', -1],
        ['0', 0],
        [' 3600000 ', 3_600_000],
        [86_400_000, 86_400_000],
      ],
      ['-2', 'abc', '1.5', '', '1e3', -2, 1.5, true],
      'must be an integer >= -1',
    ],
    [
      'retention.bytes',
      [
        ['-1', -1],
        ['1073741824', 1_073_741_824],
        ['+10', 10],
      ],
      ['-2', '10MB', Number.NaN],
      'must be an integer >= -1',
    ],
    [
      'segment.bytes',
      [
        ['1024', 1024],
        ['2147483647', 2_147_483_647],
        [4096, 4096],
      ],
      ['1023', '14', '2147483648', 0],
      'must be an integer between 1024 and 2147483647',
    ],
    [
      'segment.ms',
      [
        ['1', 1],
        ['604800000', 604_800_000],
      ],
      ['0', '-1'],
      'must be an integer >= 1',
    ],
    [
      'max.message.bytes',
      [
        ['0', 0],
        ['1048588', 1_048_588],
      ],
      ['-1', '2147483648'],
      'must be an integer between 0 and 2147483647',
    ],
    [
      'min.compaction.lag.ms',
      [
        ['0', 0],
        ['1000', 1000],
      ],
      ['-1'],
      'must be an integer >= 0',
    ],
    [
      'delete.retention.ms',
      [
        ['0', 0],
        ['86400000', 86_400_000],
      ],
      ['-1', 'x'],
      'must be an integer >= 0',
    ],
    [
      'flush.messages',
      [
        ['1', 1],
        ['9223372036854775807', Number.MAX_SAFE_INTEGER],
      ],
      ['0', '9223372036854775808'],
      'must be an integer >= 1',
    ],
    [
      'flush.ms',
      [
        ['0', 0],
        ['1000', 1000],
        [2 ** 60, Number.MAX_SAFE_INTEGER],
      ],
      ['-1', Number.POSITIVE_INFINITY],
      'must be an integer >= 0',
    ],
    [
      'index.interval.bytes',
      [
        ['0', 0],
        ['4096', 4096],
      ],
      ['-1', '4k'],
      'must be an integer between 0 and 2147483647',
    ],
  ];

  describe.each(numeric)('%s', (name, good, bad, rule) => {
    it.each(good)('accepts %j as %d', (input, expected) => {
      expect(parseTopicConfigValue(name, input)).toBe(expected);
    });
    it.each(bad)('rejects %j', (input) => {
      const error = failure(() => parseTopicConfigValue(name, input));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toBe(`Invalid value '${String(input)}' for configuration ${name}: ${rule}`);
    });
  });

  it('gives the message from the brief for retention.ms=abc', () => {
    expect(failure(() => parseTopicConfigValue('retention.ms', 'abc')).message).toBe(
      "Invalid value 'abc' for configuration retention.ms: must be an integer >= -1",
    );
  });

  it('normalises cleanup.policy', () => {
    expect(parseTopicConfigValue('cleanup.policy', 'delete')).toBe('delete');
    expect(parseTopicConfigValue('cleanup.policy', 'compact')).toBe('compact');
    expect(parseTopicConfigValue('cleanup.policy', 'compact,delete')).toBe('compact,delete');
    expect(parseTopicConfigValue('cleanup.policy', 'delete,compact')).toBe('compact,delete');
    expect(parseTopicConfigValue('cleanup.policy', ' delete , compact ')).toBe('compact,delete');
    expect(parseTopicConfigValue('cleanup.policy', 'compact,compact')).toBe('compact');
    for (const bad of ['', 'Delete', 'compact,', 'retain', 'delete;compact', 1]) {
      const error = failure(() => parseTopicConfigValue('cleanup.policy', bad));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain(`Invalid value '${String(bad)}' for configuration cleanup.policy`);
    }
    expect(normaliseCleanupPolicy('delete,compact')).toBe('compact,delete');
    expect(normaliseCleanupPolicy('nope')).toBeUndefined();
  });

  it('accepts exactly the two timestamp types', () => {
    expect(parseTopicConfigValue('message.timestamp.type', 'CreateTime')).toBe('CreateTime');
    expect(parseTopicConfigValue('message.timestamp.type', ' LogAppendTime')).toBe('LogAppendTime');
    const error = failure(() => parseTopicConfigValue('message.timestamp.type', 'createtime'));
    expect(error.message).toBe(
      "Invalid value 'createtime' for configuration message.timestamp.type: must be one of 'CreateTime', 'LogAppendTime'",
    );
  });

  it('parses sluice.fsync.before.ack from booleans and strings', () => {
    expect(parseTopicConfigValue('sluice.fsync.before.ack', true)).toBe(true);
    expect(parseTopicConfigValue('sluice.fsync.before.ack', 'TRUE')).toBe(true);
    expect(parseTopicConfigValue('sluice.fsync.before.ack', 'false')).toBe(false);
    for (const bad of ['yes', '1', 1, '']) {
      expect(failure(() => parseTopicConfigValue('sluice.fsync.before.ack', bad)).message).toMatch(
        /for configuration sluice\.fsync\.before\.ack: must be true or false$/,
      );
    }
  });

  it('shortens a huge bad value in the message', () => {
    const message = failure(() => parseTopicConfigValue('retention.ms', 'x'.repeat(10_000))).message;
    expect(message.length).toBeLessThan(200);
  });
});

describe('validateTopicConfigs', () => {
  it('returns typed overrides from strings', () => {
    expect(
      validateTopicConfigs({
        'retention.ms': '-1',
        'cleanup.policy': 'delete,compact',
        'segment.bytes': '1024',
      }),
    ).toEqual({ 'retention.ms': -1, 'cleanup.policy': 'compact,delete', 'segment.bytes': 1024 });
  });

  it('rejects an unknown key, naming it and suggesting the closest', () => {
    const error = failure(() => validateTopicConfigs({ 'retention.msx': '1' }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain("Unknown topic configuration 'retention.msx'");
    expect(error.message).toContain("Did you mean 'retention.ms'?");
    expect(failure(() => validateTopicConfigName('colour')).message).not.toContain('Did you mean');
  });

  it('says so when a Kafka key is real but unsupported', () => {
    const error = failure(() => validateTopicConfigs({ 'min.insync.replicas': '2' }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/'min\.insync\.replicas' is a Kafka setting that Sluice does not support/);
  });

  it('does not treat Object.prototype keys as configs', () => {
    expect(failure(() => validateTopicConfigs(JSON.parse('{"__proto__": "1"}'))).code).toBe('INVALID_CONFIG');
    expect(failure(() => validateTopicConfigs({ constructor: '1' })).code).toBe('INVALID_CONFIG');
  });
});

describe('resolve, toLogConfig, describe', () => {
  it('resolves topic override, then broker default, then Kafka default', () => {
    const c = resolveTopicConfig({ 'retention.ms': 1000 }, { 'retention.ms': 5, 'segment.bytes': 2048 });
    expect(c['retention.ms']).toBe(1000);
    expect(c['segment.bytes']).toBe(2048);
    expect(c['cleanup.policy']).toBe('delete');
  });

  it('builds the storage LogConfig', () => {
    expect(
      toLogConfig(
        {
          'cleanup.policy': 'compact',
          'message.timestamp.type': 'LogAppendTime',
          'sluice.fsync.before.ack': true,
        },
        { 'segment.bytes': 4096 },
      ),
    ).toEqual({
      segmentBytes: 4096,
      segmentMs: 604_800_000,
      retentionMs: 604_800_000,
      retentionBytes: -1,
      cleanupPolicy: 'compact',
      deleteRetentionMs: 86_400_000,
      minCompactionLagMs: 0,
      indexIntervalBytes: 4096,
      maxMessageBytes: 1_048_588,
      messageTimestampType: 'LogAppendTime',
      flushMessages: Number.MAX_SAFE_INTEGER,
      flushMs: Number.MAX_SAFE_INTEGER,
      fsyncBeforeAck: true,
    });
  });

  it("matches the log's own defaults and invariants", () => {
    expect(toLogConfig({})).toEqual(DEFAULT_LOG_CONFIG);
    const smallest = toLogConfig(
      validateTopicConfigs({
        'segment.bytes': '1024',
        'segment.ms': '1',
        'retention.ms': '-1',
        'retention.bytes': '-1',
        'flush.messages': '1',
        'flush.ms': '0',
        'index.interval.bytes': '0',
        'max.message.bytes': '0',
      }),
    );
    expect(() => validateLogConfig(smallest)).not.toThrow();
  });

  it('describes every config with its value, source and documentation', () => {
    const entries = describeTopicConfig({ 'retention.ms': -1 }, { 'segment.bytes': 1024 });
    expect(entries.map((e) => e.name)).toEqual([...TOPIC_CONFIG_NAMES].sort());
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get('retention.ms')).toMatchObject({
      value: '-1',
      source: 'topic',
      isDefault: false,
      defaultValue: '604800000',
      readOnly: false,
      sensitive: false,
      type: 'long',
    });
    expect(byName.get('segment.bytes')).toMatchObject({ value: '1024', source: 'broker', isDefault: false });
    expect(byName.get('cleanup.policy')).toMatchObject({
      value: 'delete',
      source: 'default',
      isDefault: true,
      type: 'list',
    });
    expect(byName.get('flush.ms')?.value).toBe('9223372036854775807');
    expect(byName.get('sluice.fsync.before.ack')).toMatchObject({ value: 'false', type: 'boolean' });
    expect(byName.get('retention.ms')?.documentation).toMatch(/-1 means no time limit/);
  });
});
