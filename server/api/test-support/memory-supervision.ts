import type { ActorKind, ActorNode, ActorRef, ActorState, FaultRequest } from '../../cluster/types';
import { ClusterError } from '../../cluster/cluster';
import type { MemoryEvents } from './memory-events';

interface ActorStatus {
  state: ActorState;
  restarts: number;
  lastRestartAt: number | null;
  lastError: { message: string; at: number } | null;
}

export interface TreeSources {
  topics(): { name: string; partitions: number }[];
  groups(): string[];
}

function describeFault(fault: FaultRequest): string {
  switch (fault.kind) {
    case 'crash':
      return 'crash';
    case 'fail-writes':
      return `fail the next ${fault.count} writes`;
    case 'delay':
      return `delay each message by ${fault.delayMs} ms for ${fault.durationMs} ms`;
    case 'clear':
      return 'clear injected faults';
  }
}

export const partitionPath = (topic: string, partition: number) => `broker/topics/${topic}/${partition}`;
export const groupPath = (groupId: string) => `broker/groups/${groupId}`;

/**
 * A pretend supervision tree with the shape DESIGN describes (broker → topics → topic → partition;
 * broker → groups → group) whose actors can be crashed, made to fail writes or slowed down.
 */
export class MemorySupervision {
  private readonly status = new Map<string, ActorStatus>();
  private readonly failWrites = new Map<string, number>();
  private readonly delays = new Map<string, { delayMs: number; until: number }>();

  constructor(
    private readonly now: () => number,
    private readonly events: MemoryEvents,
    private readonly sources: TreeSources,
    private readonly restartDelayMs: number,
  ) {}

  private statusOf(path: string): ActorStatus {
    let s = this.status.get(path);
    if (!s)
      this.status.set(path, (s = { state: 'running', restarts: 0, lastRestartAt: null, lastError: null }));
    return s;
  }

  ref(path: string): ActorRef {
    const s = this.statusOf(path);
    return { path, state: s.state, restarts: s.restarts };
  }

  private node(path: string, kind: ActorKind, children: ActorNode[] = []): ActorNode {
    const s = this.statusOf(path);
    const supervisor = kind === 'supervisor' || kind === 'broker';
    return {
      path,
      name: path.split('/').at(-1) ?? path,
      kind,
      state: s.state,
      strategy: supervisor ? 'one-for-one, at most 5 restarts in 60 s' : null,
      restarts: s.restarts,
      lastRestartAt: s.lastRestartAt,
      nextRestartAt:
        s.state === 'restarting' && s.lastRestartAt ? s.lastRestartAt + this.restartDelayMs : null,
      lastError: s.lastError,
      mailbox: supervisor ? null : { size: 0, capacity: 1000, stashed: 0 },
      children,
    };
  }

  tree(): ActorNode {
    const topics = this.sources.topics().map((t) =>
      this.node(
        `broker/topics/${t.name}`,
        'supervisor',
        Array.from({ length: t.partitions }, (_, p) => this.node(partitionPath(t.name, p), 'partition')),
      ),
    );
    const groups = this.sources.groups().map((g) => this.node(groupPath(g), 'group'));
    return this.node('broker', 'broker', [
      this.node('broker/topics', 'supervisor', topics),
      this.node('broker/groups', 'supervisor', groups),
      this.node('broker/retention', 'worker'),
    ]);
  }

  private exists(path: string): boolean {
    const walk = (n: ActorNode): boolean => n.path === path || n.children.some(walk);
    return walk(this.tree());
  }

  /** A failure and its restart, as a one-for-one supervisor with backoff would report them. */
  private crash(path: string, message: string): void {
    const s = this.statusOf(path);
    const at = this.now();
    s.lastError = { message, at };
    this.events.emit({ kind: 'actor', type: 'failed', path, message });
    s.state = 'restarting';
    s.restarts++;
    s.lastRestartAt = at;
    const attempt = s.restarts;
    this.events.emit({
      kind: 'actor',
      type: 'restarting',
      path,
      message: `restart ${attempt} in ${this.restartDelayMs} ms`,
      attempt,
      delayMs: this.restartDelayMs,
    });
    const done = () => {
      s.state = 'running';
      this.events.emit({
        kind: 'actor',
        type: 'restarted',
        path,
        message: `restarted (attempt ${attempt})`,
        attempt,
      });
    };
    if (this.restartDelayMs > 0) setTimeout(done, this.restartDelayMs).unref();
    else done();
  }

  inject(fault: FaultRequest): void {
    if (!this.exists(fault.path)) {
      throw new ClusterError('NOT_FOUND', `There is no actor at '${fault.path}'`, { field: 'path' });
    }
    this.events.emit({
      kind: 'actor',
      type: 'fault-injected',
      path: fault.path,
      message: describeFault(fault),
    });
    if (fault.kind === 'crash') this.crash(fault.path, 'Crashed on request (fault injection)');
    else if (fault.kind === 'fail-writes') this.failWrites.set(fault.path, fault.count);
    else if (fault.kind === 'delay')
      this.delays.set(fault.path, { delayMs: fault.delayMs, until: this.now() + fault.durationMs });
    else {
      this.failWrites.delete(fault.path);
      this.delays.delete(fault.path);
    }
  }

  /** Called before every append to a partition: applies injected faults to that write. */
  async beforeWrite(path: string): Promise<void> {
    const delay = this.delays.get(path);
    if (delay && delay.until > this.now()) await new Promise((r) => setTimeout(r, delay.delayMs));
    if (this.statusOf(path).state !== 'running') {
      throw new ClusterError('UNAVAILABLE', `Partition actor ${path} is restarting: retry shortly`);
    }
    const failures = this.failWrites.get(path) ?? 0;
    if (failures > 0) {
      this.failWrites.set(path, failures - 1);
      this.crash(path, 'Disk write failed: EIO (fault injection)');
      throw new ClusterError('UNAVAILABLE', `The write to ${path} failed and the partition restarted: retry`);
    }
  }
}
