import type { ActorEvent, ClusterEvent, EventQuery, RebalanceEvent } from '../../cluster/types';
import { Channel } from './channel';

type NewEvent = Omit<ActorEvent, 'id' | 'at'> | Omit<RebalanceEvent, 'id' | 'at'>;

/** The bounded event history and its live stream; ids never repeat, so they are resume points. */
export class MemoryEvents {
  private readonly history: ClusterEvent[] = [];
  private nextId = 1;
  readonly channel = new Channel<ClusterEvent>();

  constructor(
    private readonly now: () => number,
    private readonly capacity = 1000,
  ) {}

  emit(event: NewEvent): ClusterEvent {
    const full = { ...event, id: this.nextId++, at: this.now() } as ClusterEvent;
    this.history.push(full);
    if (this.history.length > this.capacity) this.history.shift();
    this.channel.publish(full);
    return full;
  }

  query(query: EventQuery): ClusterEvent[] {
    const selected = this.history.filter(
      (e) =>
        (query.afterId === undefined || e.id > query.afterId) &&
        (!query.kinds || query.kinds.includes(e.kind)),
    );
    return selected.slice(-query.limit);
  }

  stream(afterId: number | undefined, signal: AbortSignal): AsyncIterable<ClusterEvent> {
    const replay = afterId === undefined ? [] : this.history.filter((e) => e.id > afterId);
    return this.channel.listen(signal, replay);
  }
}
