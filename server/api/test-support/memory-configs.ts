import type { ConfigEntry, ConfigType } from '../../cluster/types';
import { ClusterError } from '../../cluster/cluster';

interface Def {
  type: ConfigType;
  default: string;
  doc: string;
  min?: number;
  allowed?: string[];
}

/** A few of Kafka's topic configs, enough for the router tests and the dev console. */
const DEFS: Record<string, Def> = {
  'cleanup.policy': {
    type: 'list',
    default: 'delete',
    allowed: ['delete', 'compact', 'compact,delete'],
    doc: 'delete discards old segments; compact keeps the latest record per key.',
  },
  'retention.ms': {
    type: 'long',
    default: '604800000',
    min: -1,
    doc: 'How long records are kept; -1: forever.',
  },
  'retention.bytes': { type: 'long', default: '-1', min: -1, doc: 'Per-partition size limit; -1: none.' },
  'segment.bytes': { type: 'int', default: '1073741824', min: 1024, doc: 'Segment file size.' },
  'segment.ms': { type: 'long', default: '604800000', min: 1, doc: 'Roll a segment after this long.' },
  'max.message.bytes': { type: 'int', default: '1048588', min: 0, doc: 'Largest record batch accepted.' },
  'message.timestamp.type': {
    type: 'string',
    default: 'CreateTime',
    allowed: ['CreateTime', 'LogAppendTime'],
    doc: "CreateTime: the producer's time. LogAppendTime: the broker's.",
  },
  'min.compaction.lag.ms': { type: 'long', default: '0', min: 0, doc: 'Minimum age before compaction.' },
};

export function validateConfig(name: string, value: string): void {
  const def = DEFS[name];
  const field = `configs.${name}`;
  if (!def) throw new ClusterError('INVALID_ARGUMENT', `Unknown topic config '${name}'`, { field });
  if (def.allowed && !def.allowed.includes(value)) {
    throw new ClusterError('INVALID_ARGUMENT', `${name} must be one of ${def.allowed.join(', ')}`, { field });
  }
  if (
    (def.type === 'int' || def.type === 'long') &&
    (!/^-?\d+$/.test(value) || Number(value) < (def.min ?? 0))
  ) {
    throw new ClusterError('INVALID_ARGUMENT', `${name} must be a whole number >= ${def.min ?? 0}`, {
      field,
    });
  }
}

export function describeConfigs(overrides: Record<string, string>): ConfigEntry[] {
  return Object.entries(DEFS).map(([name, def]) => {
    const value = overrides[name];
    return {
      name,
      value: value ?? def.default,
      defaultValue: def.default,
      source: value === undefined ? 'DEFAULT' : 'TOPIC',
      type: def.type,
      readOnly: false,
      sensitive: false,
      documentation: def.doc,
      ...(def.allowed ? { allowed: def.allowed } : {}),
    };
  });
}

export function configValue(overrides: Record<string, string>, name: string): string {
  return overrides[name] ?? DEFS[name]?.default ?? '';
}
