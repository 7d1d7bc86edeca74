import { describe, expect, it } from 'vitest';
import { groupSearchSchema, groupsSearchSchema } from './groups/search';
import { overviewSearchSchema } from './overview/search';
import { supervisionSearchSchema } from './supervision/search';
import { throughputSearchSchema } from './throughput/search';
import { topicSearchSchema, topicsSearchSchema } from './topics/search';

/** A hand-edited or stale URL must open the page with defaults, never fail it. */
describe('search param schemas', () => {
  it('default the overview window to 15 minutes and accept only 5, 15 and 60', () => {
    expect(overviewSearchSchema.parse({})).toEqual({ window: 15 });
    expect(overviewSearchSchema.parse({ window: 60 })).toEqual({ window: 60 });
    expect(overviewSearchSchema.parse({ window: 7 })).toEqual({ window: 15 });
  });

  it('keep the topic tab and the message view together', () => {
    expect(topicSearchSchema.parse({})).toMatchObject({ tab: 'messages', mode: 'newest', tz: 'local' });
    expect(topicSearchSchema.parse({ tab: 'config' })).toMatchObject({ tab: 'config' });
    expect(topicSearchSchema.parse({ tab: 'nope', mode: 'offset', partition: 3, offset: 42 })).toMatchObject({
      tab: 'messages',
      mode: 'offset',
      partition: 3,
      offset: 42,
    });
    expect(topicSearchSchema.parse({ record: '2:812', cursor: 'abc' })).toMatchObject({
      record: '2:812',
      cursor: 'abc',
    });
  });

  it('default searches to empty text', () => {
    expect(topicsSearchSchema.parse({})).toEqual({ q: '' });
    expect(groupsSearchSchema.parse({ q: 42 })).toEqual({ q: '' });
  });

  it('read the group tab, window and zone', () => {
    expect(groupSearchSchema.parse({})).toEqual({ tab: 'offsets', window: 15, tz: 'local' });
    expect(groupSearchSchema.parse({ tab: 'rebalances', window: 5, tz: 'utc' })).toEqual({
      tab: 'rebalances',
      window: 5,
      tz: 'utc',
    });
  });

  it('read the throughput scope and drop a bad partition', () => {
    expect(throughputSearchSchema.parse({ topic: 'orders', partition: 2 })).toEqual({
      topic: 'orders',
      partition: 2,
      window: 15,
    });
    expect(throughputSearchSchema.parse({ topic: 'orders', partition: -1 })).toEqual({
      topic: 'orders',
      window: 15,
    });
  });

  it('keep the selected actor', () => {
    expect(supervisionSearchSchema.parse({ actor: 'broker/topics/orders/2' })).toEqual({
      actor: 'broker/topics/orders/2',
    });
  });
});
