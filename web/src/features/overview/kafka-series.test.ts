import { describe, expect, it } from 'vitest';
import type { MetricsHistory } from '../../api/types';
import {
  formatRequestRate,
  historyPoints,
  kafkaAddress,
  OTHER,
  requestValues,
  topApis,
} from './kafka-series';

describe('Kafka clients chart series', () => {
  it('gives every API seen so far a value, 0 when idle', () => {
    const known = new Set<string>();
    expect(
      requestValues({ connections: 1, requestsPerSec: 3, byApi: [{ api: 'Produce', perSec: 3 }] }, known),
    ).toEqual({ Produce: 3 });
    expect(
      requestValues({ connections: 1, requestsPerSec: 1, byApi: [{ api: 'Fetch', perSec: 1 }] }, known),
    ).toEqual({
      Produce: 0,
      Fetch: 1,
    });
  });

  it('turns history into points with every API of the window', () => {
    const history = {
      scope: { kind: 'kafka' },
      stepMs: 1000,
      throughput: [],
      lag: [],
      kafka: [
        { t: 1000, connections: 1, requestsPerSec: 2, byApi: [{ api: 'Metadata', perSec: 2 }] },
        { t: 2000, connections: 1, requestsPerSec: 5, byApi: [{ api: 'Produce', perSec: 5 }] },
      ],
    } satisfies MetricsHistory;
    expect(historyPoints(history, new Set())).toEqual([
      { t: 1000, Metadata: 2, Produce: 0 },
      { t: 2000, Metadata: 0, Produce: 5 },
    ]);
  });

  it('draws the busiest APIs and adds the rest up as Other', () => {
    const points = [
      { t: 1, A: 5, B: 4, C: 1, D: 0 },
      { t: 2, A: 5, B: 0, C: 2, D: 0 },
    ];
    expect(topApis(points, 2)).toEqual({
      apis: ['A', 'B', OTHER],
      points: [
        { t: 1, A: 5, B: 4, [OTHER]: 1 },
        { t: 2, A: 5, B: 0, [OTHER]: 2 },
      ],
    });
    expect(topApis(points, 5).apis).toEqual(['A', 'B', 'C']);
    expect(topApis([]).apis).toEqual([]);
  });

  it('shows the Kafka listener address and request rates', () => {
    const http = { name: 'console', protocol: 'http' as const, host: '127.0.0.1', port: 8080 };
    expect(kafkaAddress([http, { name: 'kafka', protocol: 'kafka', host: 'localhost', port: 9092 }])).toBe(
      'localhost:9092',
    );
    expect(kafkaAddress([{ name: 'kafka', protocol: 'kafka', host: '::1', port: 9092 }])).toBe('[::1]:9092');
    expect(kafkaAddress([http])).toBeNull();
    expect(formatRequestRate(0)).toBe('0 req/s');
    expect(formatRequestRate(0.5)).toBe('0.5 req/s');
    expect(formatRequestRate(42.4)).toBe('42 req/s');
  });
});
