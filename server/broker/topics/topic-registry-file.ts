import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { BrokerError } from '../errors';
import { validateTopicConfigs } from './topic-config';
import { isTopicId, validatePartitionCount, type TopicMetadata } from './topic-metadata';
import { validateTopicName } from './topic-name';

/**
 * The on-disk form of the topic registry: `<dataDir>/meta/topics.json`, plus `topics.json.prev`,
 * the copy before the last change. Both are human-readable JSON so an operator can inspect them.
 */
export const REGISTRY_VERSION = 1;

const storedTopicSchema = z.object({
  name: z.string(),
  topicId: z.string(),
  partitions: z.number(),
  configs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  createdAt: z.number().int().nonnegative(),
});

const registrySchema = z.object({
  version: z.literal(REGISTRY_VERSION),
  topics: z.array(storedTopicSchema),
});

export function serialiseRegistry(topics: Iterable<TopicMetadata>): string {
  const sorted = [...topics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `${JSON.stringify({ version: REGISTRY_VERSION, topics: sorted }, null, 2)}\n`;
}

export type RegistryRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'ok'; readonly topics: TopicMetadata[]; readonly content: string }
  | { readonly kind: 'damaged'; readonly reason: string };

/** Reads and fully validates one registry file; a problem is reported, not thrown. */
export async function readRegistryFile(path: string): Promise<RegistryRead> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw new BrokerError(
      'KAFKA_STORAGE_ERROR',
      `Could not read topic registry '${path}': ${errorText(error)}`,
      {
        cause: error,
      },
    );
  }
  try {
    return { kind: 'ok', topics: parseRegistry(content), content };
  } catch (error) {
    return { kind: 'damaged', reason: errorText(error) };
  }
}

function parseRegistry(content: string): TopicMetadata[] {
  if (content.length === 0) throw new Error('the file is empty');
  const parsed = registrySchema.safeParse(JSON.parse(content));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
    throw new Error(`unexpected content${where}: ${issue?.message ?? 'invalid'}`);
  }
  const names = new Set<string>();
  const ids = new Set<string>();
  return parsed.data.topics.map((t) => {
    try {
      validateTopicName(t.name, { allowInternal: true });
      if (!isTopicId(t.topicId)) throw new Error(`'${t.topicId}' is not a topic id`);
      validatePartitionCount(t.partitions);
      if (names.has(t.name)) throw new Error('it is listed twice');
      if (ids.has(t.topicId)) throw new Error(`its id ${t.topicId} is used by another topic`);
      names.add(t.name);
      ids.add(t.topicId);
      return freezeTopic({ ...t, configs: validateTopicConfigs(t.configs) });
    } catch (error) {
      throw new Error(`topic '${t.name}': ${errorText(error)}`, { cause: error });
    }
  });
}

export function freezeTopic(topic: TopicMetadata): TopicMetadata {
  return Object.freeze({ ...topic, configs: Object.freeze({ ...topic.configs }) });
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
