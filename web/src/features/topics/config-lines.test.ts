import { describe, expect, it } from 'vitest';
import { parseConfigLines } from './config-lines';

describe('parseConfigLines', () => {
  it('reads name=value lines, skipping blanks and comments', () => {
    expect(parseConfigLines('# tuned\nmax.message.bytes = 2000000\n\nflush.ms=1000')).toEqual({
      configs: { 'max.message.bytes': '2000000', 'flush.ms': '1000' },
      error: null,
    });
  });

  it('names the line that is wrong', () => {
    expect(parseConfigLines('a.b=1\nnonsense').error).toBe('Line 2: expected name=value');
    expect(parseConfigLines('Bad Name=1').error).toContain("Line 1: 'Bad Name' is not a config name");
  });
});
