// `export <name> ...` arguments (fast-check): any list of JSON values, written as a user would type them
// (with or without spaces inside arrays and objects, any whitespace between), reads back as the same
// values; a bare word is refused with the quoting hint, never passed on as text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonArgs } from '../../dev/sandbox/args';

const RUNS = { numRuns: 300 };
const gap = fc.constantFrom(' ', '  ', '\t', ' \t ');
const value = fc.jsonValue({ maxDepth: 3 });

describe('sandbox export arguments', () => {
  it('read back exactly the JSON values typed, compact or spaced', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 5 }), fc.boolean(), gap, (values, spaced, sep) => {
        const typed = values.map((v) => JSON.stringify(v, null, spaced ? 1 : undefined)!.replace(/\n/g, ' ')).join(sep);
        expect(parseJsonArgs(typed)).toEqual(JSON.parse(JSON.stringify(values)));
      }),
      RUNS,
    );
  });

  it('refuse a bare word at the position it is typed, with the quoting hint', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 3 }), fc.stringMatching(/^[a-z][a-zA-Z]{0,12}$/).filter((w) => !['true', 'false', 'null'].includes(w)), (before, word) => {
        const typed = [...before.map((v) => JSON.stringify(v)), word].join(' ');
        expect(() => parseJsonArgs(typed)).toThrow(`argument ${before.length + 1} is not JSON: ${word} (text needs quotes: "${word}")`);
      }),
      RUNS,
    );
  });
});
