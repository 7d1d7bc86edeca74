import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, GROUP_STATES, type GroupState } from './group-state';

describe('group states', () => {
  it("allows exactly Kafka's transitions", () => {
    const legal: Array<[GroupState, GroupState]> = [
      ['Empty', 'PreparingRebalance'],
      ['PreparingRebalance', 'CompletingRebalance'],
      ['PreparingRebalance', 'Empty'],
      ['CompletingRebalance', 'Stable'],
      ['CompletingRebalance', 'PreparingRebalance'],
      ['Stable', 'PreparingRebalance'],
      ...GROUP_STATES.map((s): [GroupState, GroupState] => [s, 'Dead']),
    ];
    const key = ([a, b]: [GroupState, GroupState]) => `${a}->${b}`;
    const allowed = GROUP_STATES.flatMap((from) =>
      GROUP_STATES.filter((to) => canTransition(from, to)).map((to) => key([from, to])),
    );
    expect(allowed.sort()).toEqual(legal.map(key).sort());
    expect(() => assertTransition('g', 'Empty', 'Stable')).toThrow(
      /illegal state transition Empty -> Stable/,
    );
  });
});
