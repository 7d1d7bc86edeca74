/**
 * The Kafka APIs Sluice serves: one module per API (`<api-name>.ts`), listed here. ApiVersions
 * advertises exactly these, so adding a handler = writing its file and adding it to this list.
 */
import type { AnyApiHandler } from '../handler';
import { apiVersionsHandler } from './api-versions';

export const KAFKA_HANDLERS: readonly AnyApiHandler[] = [apiVersionsHandler];
