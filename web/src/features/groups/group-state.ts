import type { GroupSummary } from '../../api/types';

export const GROUP_STATE_COLOR: Record<GroupSummary['state'], string> = {
  Empty: 'gray',
  PreparingRebalance: 'yellow',
  CompletingRebalance: 'orange',
  Stable: 'teal',
  Dead: 'red',
};
