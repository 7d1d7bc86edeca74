import type { Broker } from '../../broker/broker';
import { ClusterError } from '../cluster';
import type { ActorNode, FaultRequest } from '../types';
import { hasActor, toActorNode } from './actor-tree';
import { guard } from './errors';
import { toBrokerPath } from './paths';

/** The supervision tree and fault injection over the broker's actor runtime. */
export class EmbeddedSupervision {
  constructor(private readonly broker: Broker) {}

  actorTree(): Promise<ActorNode> {
    return guard(() => toActorNode(this.broker.supervisionTree(), this.broker.options));
  }

  /** FORBIDDEN when the broker runs without fault injection, then NOT_FOUND for an unknown actor. */
  injectFault(request: FaultRequest): Promise<void> {
    return guard(
      () => {
        if (!this.broker.options.faultInjection) {
          throw new ClusterError(
            'FORBIDDEN',
            'Fault injection is disabled on this broker: start Sluice with --fault-injection to enable it',
          );
        }
        const path = toBrokerPath(request.path);
        if (!hasActor(this.broker.supervisionTree(), path)) {
          throw new ClusterError('NOT_FOUND', `There is no actor at '${request.path}'`, { field: 'path' });
        }
        const faults = this.broker.faults;
        switch (request.kind) {
          case 'crash':
            return faults.crash(path, { message: `Injected crash at ${request.path}` });
          case 'fail-writes':
            return faults.failWrites(path, request.count);
          case 'delay':
            return faults.delay(path, request.delayMs, request.durationMs);
          case 'clear':
            return faults.clear(path);
        }
      },
      {
        INVALID_REQUEST: (m) =>
          /delayMs/.test(m) ? 'delayMs' : /durationMs/.test(m) ? 'durationMs' : 'path',
      },
    );
  }
}
