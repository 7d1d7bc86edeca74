import type {
  ConsumerWorkload,
  ProducerWorkload,
  StartConsumerGroupRequest,
  StartProducerRequest,
  WorkloadStatus,
} from '../../cluster/types';
import { ClusterError } from '../../cluster/cluster';
import type { MemoryGroups } from './memory-groups';
import { recordSize } from './memory-log';
import { type MemoryTopic, notFound } from './memory-topics';

export interface WorkloadHost {
  topic(name: string): MemoryTopic | undefined;
  groups: MemoryGroups;
  produceText(topic: string, key: string, value: string): Promise<void>;
  recordOut(topic: string, partition: number, records: number, bytes: number): void;
}

interface RunningProducer {
  info: ProducerWorkload;
  timer: NodeJS.Timeout;
  carry: number;
}

interface RunningGroup {
  groupId: string;
  topic: string;
  consumed: Map<string, number>;
  timer: NodeJS.Timeout;
}

const PRODUCE_EVERY_MS = 100;
const CONSUME_EVERY_MS = 250;

function demoValue(n: number, bytes: number): string {
  const base = JSON.stringify({ id: n, at: new Date().toISOString(), amount: (n * 7919) % 1000 });
  return base.length >= bytes
    ? base.slice(0, bytes)
    : base.slice(0, -1) + `,"pad":"${'x'.repeat(Math.max(0, bytes - base.length - 9))}"}`;
}

/** In-process producers at a rate and consumer groups whose members read and commit. */
export class MemoryWorkload {
  private readonly producers = new Map<string, RunningProducer>();
  private readonly consumers = new Map<string, RunningGroup>();
  private seq = 0;

  constructor(
    private readonly host: WorkloadHost,
    private readonly now: () => number,
  ) {}

  status(): WorkloadStatus {
    return {
      producers: [...this.producers.values()].map((p) => ({ ...p.info })),
      consumerGroups: [...this.consumers.values()].map((g) => this.describe(g)),
    };
  }

  startProducer(request: StartProducerRequest): ProducerWorkload {
    if (!this.host.topic(request.topic)) throw notFound(request.topic);
    const id = `producer-${++this.seq}`;
    const info: ProducerWorkload = {
      id,
      ...request,
      startedAt: this.now(),
      produced: 0,
      errors: 0,
      lastError: null,
    };
    const running: RunningProducer = {
      info,
      carry: 0,
      timer: setInterval(() => void tick(), PRODUCE_EVERY_MS),
    };
    running.timer.unref();
    const tick = async () => {
      running.carry += (request.ratePerSec * PRODUCE_EVERY_MS) / 1000;
      const count = Math.floor(running.carry);
      running.carry -= count;
      for (let i = 0; i < count; i++) {
        const n = info.produced + info.errors;
        try {
          await this.host.produceText(request.topic, `key-${n % 50}`, demoValue(n, request.recordBytes));
          info.produced++;
        } catch (error) {
          info.errors++;
          info.lastError = error instanceof Error ? error.message : String(error);
        }
      }
    };
    this.producers.set(id, running);
    return { ...info };
  }

  stopProducer(id: string): void {
    const p = this.producers.get(id);
    if (!p) throw new ClusterError('NOT_FOUND', `No producer '${id}' is running`, { field: 'id' });
    clearInterval(p.timer);
    this.producers.delete(id);
  }

  private describe(g: RunningGroup): ConsumerWorkload {
    const members = [...g.consumed].map(([memberId, consumed]) => ({ memberId, consumed }));
    return {
      groupId: g.groupId,
      topic: g.topic,
      members,
      consumed: members.reduce((s, m) => s + m.consumed, 0),
    };
  }

  private running(groupId: string): RunningGroup {
    const g = this.consumers.get(groupId);
    if (!g)
      throw new ClusterError('NOT_FOUND', `No workload consumer group '${groupId}'`, { field: 'groupId' });
    return g;
  }

  startConsumerGroup(request: StartConsumerGroupRequest): ConsumerWorkload {
    if (!this.host.topic(request.topic)) throw notFound(request.topic);
    if (this.consumers.has(request.groupId) || this.host.groups.groups.get(request.groupId)?.members.length) {
      throw new ClusterError('ALREADY_EXISTS', `Consumer group '${request.groupId}' already has members`, {
        field: 'groupId',
      });
    }
    const g: RunningGroup = {
      groupId: request.groupId,
      topic: request.topic,
      consumed: new Map(),
      timer: setInterval(() => this.consume(g), CONSUME_EVERY_MS),
    };
    g.timer.unref();
    this.consumers.set(request.groupId, g);
    for (let i = 0; i < request.members; i++) this.addConsumer(request.groupId);
    return this.describe(g);
  }

  private consume(g: RunningGroup): void {
    const topic = this.host.topic(g.topic);
    const group = this.host.groups.groups.get(g.groupId);
    if (!topic || !group) return;
    for (const member of group.members) {
      for (const partition of member.assignment.flatMap((a) => a.partitions)) {
        const log = topic.logs[partition];
        if (!log) continue;
        const from = Math.max(
          group.offsets.get(`${g.topic}/${partition}`) ?? log.startOffset,
          log.startOffset,
        );
        const to = Math.min(log.endOffset, from + 2000);
        let bytes = 0;
        for (let o = from; o < to; o++)
          bytes += recordSize(log.at(o) ?? { offset: o, timestamp: 0, key: null, value: null, headers: [] });
        if (to > from) {
          this.host.groups.commit(g.groupId, g.topic, partition, to);
          this.host.recordOut(g.topic, partition, to - from, bytes);
          g.consumed.set(member.memberId, (g.consumed.get(member.memberId) ?? 0) + to - from);
        }
      }
    }
  }

  addConsumer(groupId: string): ConsumerWorkload {
    const g = this.running(groupId);
    const memberId = this.host.groups.join(groupId, g.topic, `workload-${groupId}`);
    g.consumed.set(memberId, 0);
    return this.describe(g);
  }

  removeConsumer(groupId: string, memberId?: string): ConsumerWorkload {
    const g = this.running(groupId);
    const target = memberId ?? [...g.consumed.keys()].at(-1);
    if (target === undefined || !g.consumed.has(target)) {
      throw new ClusterError('NOT_FOUND', `Group '${groupId}' has no member '${memberId ?? ''}'`, {
        field: 'memberId',
      });
    }
    this.host.groups.leave(groupId, target);
    g.consumed.delete(target);
    return this.describe(g);
  }

  stopConsumerGroup(groupId: string): void {
    const g = this.running(groupId);
    for (const memberId of [...g.consumed.keys()]) this.host.groups.leave(groupId, memberId);
    clearInterval(g.timer);
    this.consumers.delete(groupId);
  }

  close(): void {
    for (const p of this.producers.values()) clearInterval(p.timer);
    for (const g of this.consumers.values()) clearInterval(g.timer);
    this.producers.clear();
    this.consumers.clear();
  }
}
