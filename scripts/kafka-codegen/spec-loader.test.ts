import { describe, expect, it } from 'vitest';
import { parseSpec, stripComments } from './spec-loader';

describe('spec loader', () => {
  it('strips // comments but not // inside strings', () => {
    const text = '// header\n{ "a": "http://x//y", // trailing\n "b": "say \\"//\\"" }\n';
    expect(JSON.parse(stripComments(text))).toEqual({ a: 'http://x//y', b: 'say "//"' });
  });

  it('parses a spec and validates field shapes', () => {
    const spec = parseSpec(
      `{ "apiKey": 7, "type": "request", "name": "XRequest", "validVersions": "0-2",
         "flexibleVersions": "none", "fields": [ { "name": "A", "type": "int8", "versions": "0+" } ] }`,
      'x.json',
    );
    expect(spec).toMatchObject({ apiKey: 7, type: 'request', name: 'XRequest', commonStructs: [] });
    expect(spec.fields[0]).toMatchObject({ name: 'A', type: 'int8', versions: '0+' });
    expect(() =>
      parseSpec(
        '{ "type": "request", "name": "X", "validVersions": "0", "fields": [ { "name": "A" } ] }',
        'x',
      ),
    ).toThrow(/"type" must be a string/);
    expect(() => parseSpec('{ "type": "nope", "name": "X", "validVersions": "0" }', 'x')).toThrow(
      /unknown spec type/,
    );
  });
});
