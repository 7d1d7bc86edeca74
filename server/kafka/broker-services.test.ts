import { describe, expectTypeOf, it } from 'vitest';
import type { Broker } from '../broker/broker';
import type { KafkaBrokerServices } from './handler';

describe('KafkaBrokerServices', () => {
  // Checked by tsc (npm run typecheck): the core's Broker can be handed to the Kafka door as is.
  it('is satisfied by the Broker', () => {
    expectTypeOf<Broker>().toExtend<KafkaBrokerServices>();
  });
});
