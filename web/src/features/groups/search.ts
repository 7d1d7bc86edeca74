import { z } from 'zod';
import { windowSearch } from '../../charts/window-search';

export const groupsSearchSchema = z.object({
  q: z.string().max(255).default('').catch(''),
});

export const GROUP_TABS = ['members', 'offsets', 'lag', 'rebalances'] as const;
export type GroupTab = (typeof GROUP_TABS)[number];

export const groupSearchSchema = z.object({
  tab: z.enum(GROUP_TABS).default('offsets').catch('offsets'),
  window: windowSearch,
  tz: z.enum(['local', 'utc']).default('local').catch('local'),
});
