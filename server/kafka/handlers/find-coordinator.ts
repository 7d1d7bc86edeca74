/**
 * FindCoordinator (key 10), versions 0-4.
 *
 * - Key type 0 (group; the only type v0 knows): always node 0 at the advertised host and port,
 *   since the single broker coordinates every group. While `__consumer_offsets` is still loading
 *   after a start the broker is found all the same, and its group requests answer
 *   COORDINATOR_LOAD_IN_PROGRESS until the load is done (clients retry); while it stops:
 *   COORDINATOR_NOT_AVAILABLE.
 * - Key type 1 (transaction): INVALID_REQUEST with a message saying that Sluice has no
 *   transactions, as InitProducerId refuses a transactional id. COORDINATOR_NOT_AVAILABLE would
 *   make a transactional producer retry until its own timeout with nothing to go on; INVALID_REQUEST
 *   is fatal in every client and the message (v1+) names the cause. Any other key type:
 *   INVALID_REQUEST too, as Kafka answers an unknown type.
 * - v4 (KIP-699) batches keys (coordinatorKeys): one answer per key, in request order.
 * - Error answers carry nodeId -1, host '' and port -1, as Kafka's.
 */
import { KafkaError } from '../error-codes';
import { defineHandler, type RequestContext } from '../handler';
import { caught } from './caught';

interface Coordinator {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

const GROUP = 0;
const TRANSACTION = 1;

/** The coordinator of one key, with v4's shape; v0-3 copy its fields to the top level. */
function findOne(key: string, keyType: number, ctx: RequestContext): Coordinator {
  const failed = (errorCode: number, errorMessage: string) => ({
    key,
    nodeId: -1,
    host: '',
    port: -1,
    errorCode,
    errorMessage,
  });
  if (keyType === TRANSACTION) {
    return failed(
      KafkaError.INVALID_REQUEST,
      'Transactions are not supported by Sluice: use an idempotent producer without transactional.id',
    );
  }
  if (keyType !== GROUP) return failed(KafkaError.INVALID_REQUEST, `Unknown coordinator key type ${keyType}`);
  try {
    const { error } = ctx.broker.groups.findCoordinator(key);
    if (error !== undefined) {
      const { errorCode, errorMessage } = caught(error, ctx, `group ${key}`, 'group');
      return failed(errorCode, errorMessage);
    }
  } catch (error) {
    const { errorCode, errorMessage } = caught(error, ctx, `group ${key}`, 'group');
    return failed(errorCode, errorMessage);
  }
  const { nodeId, advertisedHost, advertisedPort } = ctx.config;
  return {
    key,
    nodeId,
    host: advertisedHost,
    port: advertisedPort,
    errorCode: KafkaError.NONE,
    errorMessage: null,
  };
}

export const findCoordinatorHandler = defineHandler('FindCoordinator', {
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const version = ctx.header.apiVersion;
    const keyType = version >= 1 ? request.keyType : GROUP;
    if (version >= 4) {
      return {
        throttleTimeMs: 0,
        coordinators: request.coordinatorKeys.map((key) => findOne(key, keyType, ctx)),
      };
    }
    const { errorCode, errorMessage, nodeId, host, port } = findOne(request.key, keyType, ctx);
    return { throttleTimeMs: 0, errorCode, errorMessage, nodeId, host, port };
  },
  errorResponse: (request, errorCode, ctx) => ({
    errorCode,
    nodeId: -1,
    host: '',
    port: -1,
    coordinators:
      ctx.header.apiVersion >= 4
        ? request.coordinatorKeys.map((key) => ({ key, nodeId: -1, host: '', port: -1, errorCode }))
        : [],
  }),
});
