import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEAP_GROWING_PERCENT, tuneHeapGrowth } from './heap-tuning';

describe('tuneHeapGrowth', () => {
  afterEach(() => vi.restoreAllMocks());

  it('sets V8 heap growth for the broker', () => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    expect(tuneHeapGrowth(['--import', 'tsx'], '--max-old-space-size=4096')).toBe(true);
    expect(set).toHaveBeenCalledWith(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });

  it.each([
    ['the node command line', ['--heap-growing-percent=50'], ''],
    ['the command line, underscored', ['--heap_growing_percent=50'], ''],
    ['NODE_OPTIONS', [], '--heap-growing-percent=50'],
  ])('leaves the value an operator gave on %s', (_where, execArgv, nodeOptions) => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    expect(tuneHeapGrowth(execArgv, nodeOptions)).toBe(false);
    expect(set).not.toHaveBeenCalled();
  });
});
