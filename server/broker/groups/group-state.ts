/**
 * The states of a classic consumer group, with Kafka's names and Kafka's legal transitions
 * (kafka.coordinator.group.GroupState):
 *
 *   Empty ──join──▶ PreparingRebalance ──join phase done──▶ CompletingRebalance ──leader sync──▶ Stable
 *     ▲                  ▲   │ (no member left)                    │                              │
 *     └──────────────────┼───┘                                     │                              │
 *                        └──── member joins, leaves, expires ──────┴──────────────────────────────┘
 *   any state ──delete──▶ Dead
 */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export const GROUP_STATES: readonly GroupState[] = [
  'Empty',
  'PreparingRebalance',
  'CompletingRebalance',
  'Stable',
  'Dead',
];

/** For each target state, the states it may be entered from. */
const VALID_PREVIOUS_STATES: Readonly<Record<GroupState, readonly GroupState[]>> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

export function canTransition(from: GroupState, to: GroupState): boolean {
  return VALID_PREVIOUS_STATES[to].includes(from);
}

/** An illegal transition is a bug in the coordinator, never a client error: it throws. */
export function assertTransition(groupId: string, from: GroupState, to: GroupState): void {
  if (!canTransition(from, to)) {
    throw new Error(`Group ${groupId}: illegal state transition ${from} -> ${to}`);
  }
}
