import { describe, expect, it } from 'vitest';
import { parseLiteral, parseTextCalls } from '../src/parse.js';
import { PyFloat, PyTuple, pyEquals, pyType } from '../src/values.js';
import { standardizeString } from '../src/checker.js';

describe('safe literal parser (no eval)', () => {
  it('keeps Python types: int vs float, tuple vs list, None/True/False and JSON spellings', () => {
    expect(parseLiteral('5')).toBe(5);
    expect(parseLiteral('5.0')).toEqual(new PyFloat(5));
    expect(pyType(parseLiteral('-2.5e3'))).toBe('float');
    expect(parseLiteral('(1, 2)')).toEqual(new PyTuple([1, 2]));
    expect(parseLiteral('(1)')).toBe(1);
    expect(parseLiteral('[None, True, false, null]')).toEqual([null, true, false, null]);
    expect(parseLiteral(`{'a': "b\\n", "c": [1, {'d': 'e'}]}`)).toEqual({ a: 'b\n', c: [1, { d: 'e' }] });
  });

  it('reads keyword calls with dotted names; nested calls follow BFCL (source text or {name: args})', () => {
    expect(parseTextCalls('[math.hypot(x=4, y=5), f(a="x")]')).toEqual([
      { name: 'math.hypot', args: { x: 4, y: 5 } },
      { name: 'f', args: { a: 'x' } },
    ]);
    expect(parseTextCalls('f(a=g(), b=h(k=1), c=some_var)')).toEqual([{ name: 'f', args: { a: 'g()', b: { h: { k: 1 } }, c: 'some_var' } }]);
  });

  it("reads Python call syntax as BFCL's ast.parse does: lowercase true/false/null there are bare names (strings); JSON keeps them", () => {
    expect(parseTextCalls('[get_prime_factors(number=450, formatted=true)]')).toEqual([{ name: 'get_prime_factors', args: { number: 450, formatted: 'true' } }]);
    expect(parseTextCalls('f(a=null, b=[false], c=True, d=None)')).toEqual([{ name: 'f', args: { a: 'null', b: ['false'], c: true, d: null } }]);
    expect(parseTextCalls('[{"name": "f", "arguments": {"a": true, "b": null}}]')).toEqual([{ name: 'f', args: { a: true, b: null } }]);
    expect(parseLiteral('{"a": true}')).toEqual({ a: true });
    // Python's hex / octal / binary integer literals, ints as BFCL's ast reads them.
    expect(parseTextCalls('f(a=0x1C2, b=0o17, c=0b101, d=-0x10)')).toEqual([{ name: 'f', args: { a: 450, b: 15, c: 5, d: -16 } }]);
    expect(() => parseTextCalls('f(a=0b102)')).toThrow();
  });

  it('rejects what it cannot read safely', () => {
    expect(() => parseTextCalls('f(a=__import__("os").system("rm -rf /"))')).toThrow();
    expect(() => parseLiteral('1 + 2')).toThrow(/trailing/);
    expect(() => parseLiteral('"unterminated')).toThrow(/unterminated/);
  });

  it('Python == semantics and BFCL string standardization', () => {
    expect(pyEquals(5, new PyFloat(5))).toBe(true);
    expect(pyEquals([1, 2], new PyTuple([1, 2]))).toBe(false);
    expect(pyEquals({ a: [1] }, { a: [new PyFloat(1)] })).toBe(true);
    expect(standardizeString("April 1, 2024")).toBe('april12024');
    expect(standardizeString("New-York_City.*^")).toBe('newyorkcity');
    expect(standardizeString("it's")).toBe('it"s');
  });
});
