import { z } from 'zod';
import { messagesSearch } from '../messages/search';

export const topicsSearchSchema = z.object({
  q: z.string().max(249).default('').catch(''),
});

export const TOPIC_TABS = ['messages', 'partitions', 'config', 'consumers'] as const;
export type TopicTab = (typeof TOPIC_TABS)[number];

export const topicSearchSchema = z.object({
  tab: z.enum(TOPIC_TABS).default('messages').catch('messages'),
  ...messagesSearch,
});
export type TopicSearch = z.output<typeof topicSearchSchema>;
