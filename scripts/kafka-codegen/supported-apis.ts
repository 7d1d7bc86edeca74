/**
 * The APIs Sluice serves and the version ranges it advertises (DESIGN.md, "Kafka wire protocol").
 * The generator emits codecs for exactly these ranges, clamped to the spec's validVersions.
 */
export interface SupportedApi {
  /** Spec name without the Request/Response suffix, e.g. "Produce". */
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
}

export const SUPPORTED_APIS: readonly SupportedApi[] = [
  { name: 'Produce', minVersion: 3, maxVersion: 9 },
  { name: 'Fetch', minVersion: 4, maxVersion: 13 },
  { name: 'ListOffsets', minVersion: 1, maxVersion: 7 },
  { name: 'Metadata', minVersion: 0, maxVersion: 12 },
  { name: 'OffsetCommit', minVersion: 0, maxVersion: 8 },
  { name: 'OffsetFetch', minVersion: 1, maxVersion: 8 },
  { name: 'FindCoordinator', minVersion: 0, maxVersion: 4 },
  { name: 'JoinGroup', minVersion: 0, maxVersion: 6 },
  { name: 'Heartbeat', minVersion: 0, maxVersion: 4 },
  { name: 'LeaveGroup', minVersion: 0, maxVersion: 4 },
  { name: 'SyncGroup', minVersion: 0, maxVersion: 4 },
  { name: 'DescribeGroups', minVersion: 0, maxVersion: 5 },
  { name: 'ListGroups', minVersion: 0, maxVersion: 4 },
  { name: 'ApiVersions', minVersion: 0, maxVersion: 3 },
  { name: 'CreateTopics', minVersion: 0, maxVersion: 7 },
  { name: 'DeleteTopics', minVersion: 0, maxVersion: 6 },
  { name: 'DeleteRecords', minVersion: 0, maxVersion: 2 },
  { name: 'InitProducerId', minVersion: 0, maxVersion: 4 },
  { name: 'DescribeConfigs', minVersion: 0, maxVersion: 4 },
  { name: 'AlterConfigs', minVersion: 0, maxVersion: 2 },
  { name: 'CreatePartitions', minVersion: 0, maxVersion: 3 },
  { name: 'DeleteGroups', minVersion: 0, maxVersion: 2 },
  { name: 'IncrementalAlterConfigs', minVersion: 0, maxVersion: 1 },
  { name: 'OffsetDelete', minVersion: 0, maxVersion: 0 },
];

/** Header specs, generated for every version the spec defines. */
export const HEADER_SPECS: readonly string[] = ['RequestHeader', 'ResponseHeader'];
