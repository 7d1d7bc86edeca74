import { describe, expect, it, vi } from 'vitest';
import type { ClusterEvent } from '../api/types';
import { EventStore } from './event-store';

const event = (id: number): ClusterEvent => ({
  id,
  at: id * 1000,
  kind: 'actor',
  type: 'started',
  path: 'broker',
  message: '',
});

describe('EventStore', () => {
  it('publishes buffered events on flush, once, in id order, without duplicates', () => {
    const store = new EventStore(3);
    const listener = vi.fn();
    store.subscribe(listener);
    store.add([event(2), event(1)]);
    expect(store.getSnapshot()).toEqual([]);
    expect(store.flush().map((e) => e.id)).toEqual([1, 2]);
    expect(listener).toHaveBeenCalledTimes(1);
    store.add([event(2), event(3), event(4)]);
    store.flush();
    expect(store.getSnapshot().map((e) => e.id)).toEqual([2, 3, 4]);
    expect(store.flush()).toEqual([]);
    expect(listener).toHaveBeenCalledTimes(2);
  });
});
