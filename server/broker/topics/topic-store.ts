import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BrokerError, storageError } from '../errors';
import { removeStaleTempFiles, writeFileAtomic } from '../atomic-file';
import {
  validateTopicConfigName,
  validateTopicConfigs,
  type ConfigInput,
  type TopicConfigOverrides,
} from './topic-config';
import { newTopicId, validatePartitionCount, type TopicMetadata } from './topic-metadata';
import { checkNameCollision, isInternalTopicName, validateTopicName } from './topic-name';
import { freezeTopic, readRegistryFile, serialiseRegistry } from './topic-registry-file';

export interface TopicStoreOptions {
  /** Told when load recovers from a damaged file or removes leftovers of a crashed write. */
  onWarning?: (message: string) => void;
  /** Clock for createdAt; tests pin it. */
  now?: () => number;
  /** Fault injection and tests: replaces the atomic file write. */
  writeFile?: (path: string, data: string) => Promise<void>;
}

export interface CreateTopicOptions {
  /** Only the broker sets this, for its own `__*` topics. */
  allowInternal?: boolean;
}

export interface AlterConfigsRequest {
  /** Keys to set, from strings (Kafka admin clients) or typed values (the console). */
  set?: Readonly<Record<string, ConfigInput>>;
  /** Keys to remove, falling back to the broker default. */
  delete?: readonly string[];
}

/**
 * The persistent topic registry: name, id, partition count, config overrides, creation time.
 * Reads are synchronous from memory; changes are async, run one at a time, and reach memory only
 * once they are durably on disk, so a failed write leaves the registry as it was.
 */
export class TopicStore {
  readonly file: string;
  readonly previousFile: string;
  private topics = new Map<string, TopicMetadata>();
  private byId = new Map<string, TopicMetadata>();
  /** The content of `file` as last written or loaded; becomes `previousFile` on the next write. */
  private lastContent: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  private readonly write: (path: string, data: string) => Promise<void>;

  private constructor(dataDir: string, options: TopicStoreOptions) {
    this.file = join(dataDir, 'meta', 'topics.json');
    this.previousFile = `${this.file}.prev`;
    this.now = options.now ?? Date.now;
    this.write = options.writeFile ?? writeFileAtomic;
  }

  /**
   * Opens the registry under `dataDir`, creating `meta/` if needed. A damaged `topics.json` is
   * replaced by `topics.json.prev` when that one is good (with a warning); otherwise load fails
   * with KAFKA_STORAGE_ERROR naming the file and what to do.
   */
  static async load(dataDir: string, options: TopicStoreOptions = {}): Promise<TopicStore> {
    const store = new TopicStore(dataDir, options);
    const warn = options.onWarning ?? (() => undefined);
    try {
      await mkdir(join(dataDir, 'meta'), { recursive: true });
      const stale = [
        ...(await removeStaleTempFiles(store.file)),
        ...(await removeStaleTempFiles(store.previousFile)),
      ];
      if (stale.length > 0) warn(`Removed leftovers of an interrupted registry write: ${stale.join(', ')}`);
    } catch (error) {
      throw storageError(`Could not prepare the topic registry directory '${join(dataDir, 'meta')}'`, error);
    }

    const main = await readRegistryFile(store.file);
    if (main.kind === 'ok') {
      store.install(main.topics);
      store.lastContent = main.content;
      return store;
    }
    const previous = await readRegistryFile(store.previousFile);
    if (main.kind === 'missing' && previous.kind === 'missing') return store;
    if (previous.kind === 'ok') {
      const problem = main.kind === 'missing' ? 'is missing' : `is damaged (${main.reason})`;
      warn(
        `Topic registry '${store.file}' ${problem}; using the previous copy '${store.previousFile}'. ` +
          'The last topic change before the damage may be lost.',
      );
      store.install(previous.topics);
      store.lastContent = previous.content;
      return store;
    }
    const mainProblem = main.kind === 'missing' ? 'is missing' : `is damaged (${main.reason})`;
    const previousProblem =
      previous.kind === 'missing' ? 'does not exist' : `is damaged too (${previous.reason})`;
    throw new BrokerError(
      'KAFKA_STORAGE_ERROR',
      `Topic registry '${store.file}' ${mainProblem} and its previous copy '${store.previousFile}' ` +
        `${previousProblem}. Restore the file from a backup, or move both away to start with no topics.`,
    );
  }

  get(name: string): TopicMetadata | undefined {
    return this.topics.get(name);
  }

  getById(topicId: string): TopicMetadata | undefined {
    return this.byId.get(topicId);
  }

  has(name: string): boolean {
    return this.topics.has(name);
  }

  /** Throws UNKNOWN_TOPIC_OR_PARTITION if there is no such topic. */
  require(name: string): TopicMetadata {
    const topic = this.topics.get(name);
    if (topic === undefined) {
      throw new BrokerError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${name}' does not exist`);
    }
    return topic;
  }

  /** All topics, by name. */
  list(): TopicMetadata[] {
    return [...this.topics.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Checks a create without doing it (CreateTopics validateOnly, the console's form) and returns
   * what would be stored. Throws INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS
   * or INVALID_CONFIG.
   */
  validateCreate(
    name: string,
    partitions: number,
    configs: Readonly<Record<string, ConfigInput>> = {},
    options: CreateTopicOptions = {},
  ): TopicMetadata {
    validateTopicName(name, options);
    if (this.topics.has(name))
      throw new BrokerError('TOPIC_ALREADY_EXISTS', `Topic '${name}' already exists`);
    checkNameCollision(name, this.topics.keys());
    validatePartitionCount(partitions, name);
    return freezeTopic({
      name,
      topicId: this.freshTopicId(),
      partitions,
      configs: validateTopicConfigs(configs),
      createdAt: this.now(),
    });
  }

  create(
    name: string,
    partitions: number,
    configs: Readonly<Record<string, ConfigInput>> = {},
    options: CreateTopicOptions = {},
  ): Promise<TopicMetadata> {
    return this.change(() => {
      const topic = this.validateCreate(name, partitions, configs, options);
      return { topic, next: this.with(topic) };
    });
  }

  /** Kafka's IncrementalAlterConfigs SET and DELETE on one topic; validated as a whole. */
  alterConfigs(name: string, request: AlterConfigsRequest): Promise<TopicMetadata> {
    return this.change(() => {
      const current = this.require(name);
      const set = validateTopicConfigs(request.set ?? {});
      const removed = (request.delete ?? []).map(validateTopicConfigName);
      const both = removed.find((key) => key in set);
      if (both !== undefined) {
        throw new BrokerError(
          'INVALID_REQUEST',
          `Configuration ${both} is both set and deleted in one request`,
        );
      }
      const configs: TopicConfigOverrides = { ...current.configs, ...set };
      for (const key of removed) delete configs[key];
      const topic = freezeTopic({ ...current, configs });
      return { topic, next: this.with(topic) };
    });
  }

  /** Kafka's CreatePartitions: partitions only grow, up to MAX_PARTITIONS_PER_TOPIC. */
  addPartitions(name: string, newTotal: number): Promise<TopicMetadata> {
    return this.change(() => {
      const current = this.require(name);
      if (Number.isInteger(newTotal) && newTotal <= current.partitions) {
        const noun = current.partitions === 1 ? 'partition' : 'partitions';
        throw new BrokerError(
          'INVALID_PARTITIONS',
          `Topic '${name}' already has ${current.partitions} ${noun}; the new count must be greater`,
        );
      }
      validatePartitionCount(newTotal, name);
      const topic = freezeTopic({ ...current, partitions: newTotal });
      return { topic, next: this.with(topic) };
    });
  }

  /** Removes a topic from the registry and returns what it was; its data is the caller's to delete. */
  delete(name: string, options: CreateTopicOptions = {}): Promise<TopicMetadata> {
    return this.change(() => {
      const current = this.require(name);
      if (isInternalTopicName(name) && options.allowInternal !== true) {
        throw new BrokerError(
          'INVALID_TOPIC_EXCEPTION',
          `Topic '${name}' is internal to the broker and cannot be deleted`,
        );
      }
      const next = new Map(this.topics);
      next.delete(name);
      return { topic: current, next };
    });
  }

  /**
   * Runs one change after all earlier ones: `plan` validates against the current state and
   * returns the next state, which is written to disk and only then installed in memory.
   */
  private change(
    plan: () => { topic: TopicMetadata; next: Map<string, TopicMetadata> },
  ): Promise<TopicMetadata> {
    const run = this.queue.then(async () => {
      const { topic, next } = plan();
      await this.persist(next);
      this.topics = next;
      this.byId = new Map([...next.values()].map((t) => [t.topicId, t]));
      return topic;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async persist(next: Map<string, TopicMetadata>): Promise<void> {
    const content = serialiseRegistry(next.values());
    try {
      if (this.lastContent !== undefined) await this.write(this.previousFile, this.lastContent);
      await this.write(this.file, content);
    } catch (error) {
      throw storageError(`Could not write topic registry '${this.file}'`, error);
    }
    this.lastContent = content;
  }

  private with(topic: TopicMetadata): Map<string, TopicMetadata> {
    return new Map(this.topics).set(topic.name, topic);
  }

  private install(topics: TopicMetadata[]): void {
    this.topics = new Map(topics.map((t) => [t.name, t]));
    this.byId = new Map(topics.map((t) => [t.topicId, t]));
  }

  private freshTopicId(): string {
    for (;;) {
      const id = newTopicId();
      if (!this.byId.has(id)) return id;
    }
  }
}
