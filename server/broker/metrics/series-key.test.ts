import { describe, expect, it } from 'vitest';
import { isBrokerError } from '../errors';
import { type SeriesKey, isRate, parseSeriesKey, seriesKeyId } from './series-key';

describe('series keys', () => {
  const keys: SeriesKey[] = [
    { kind: 'broker', metric: 'records_in' },
    { kind: 'topic', topic: 'orders.v1', metric: 'bytes_out' },
    { kind: 'partition', topic: 'orders', partition: 12, metric: 'end_offset' },
    { kind: 'group', group: 'team/billing 100%', metric: 'lag' },
    { kind: 'group_partition', group: 'g', topic: 'orders', partition: 0, metric: 'lag' },
    { kind: 'api', api: 'Produce', metric: 'requests' },
    { kind: 'gauge', name: 'connections' },
  ];

  it('have a stable, readable string form that parses back', () => {
    expect(keys.map(seriesKeyId)).toEqual([
      'broker/records_in',
      'topic/orders.v1/bytes_out',
      'partition/orders/12/end_offset',
      'group/team%2Fbilling%20100%25/lag',
      'group_partition/g/orders/0/lag',
      'api/Produce/requests',
      'gauge/connections',
    ]);
    for (const key of keys) expect(parseSeriesKey(seriesKeyId(key))).toEqual(key);
  });

  it('reject malformed ids with INVALID_REQUEST', () => {
    for (const id of [
      '',
      'topic/orders',
      'partition/orders/-1/records_in',
      'topic/orders/nope',
      'x/y',
      'group/%E0/lag',
    ]) {
      let error: unknown;
      try {
        parseSeriesKey(id);
      } catch (e) {
        error = e;
      }
      expect(isBrokerError(error, 'INVALID_REQUEST'), id).toBe(true);
    }
  });

  it('tell rates from gauges', () => {
    expect(isRate({ kind: 'partition', topic: 't', partition: 0, metric: 'bytes_in' })).toBe(true);
    expect(isRate({ kind: 'api', api: 'Fetch', metric: 'requests' })).toBe(true);
    expect(isRate({ kind: 'group', group: 'g', metric: 'lag' })).toBe(false);
    expect(isRate({ kind: 'partition', topic: 't', partition: 0, metric: 'size_bytes' })).toBe(false);
  });
});
