/**
 * Port of BFCL's per-call AST check, Python flavour (gorilla berkeley-function-call-leaderboard,
 * bfcl_eval/eval_checker/ast_eval/ast_checker.py): simple_function_checker with type_checker,
 * string/list/dict/list-of-dict checkers and standardize_string. Error texts and error types follow
 * BFCL's. The multiple and parallel checkers (multiple.ts, parallel.ts) run it once per call.
 */
import type { ParsedCall } from './parse.js';
import { PyFloat, PyTuple, pyEquals, pyIn, pyRepr, pyType, type PyTypeName, type PyValue } from './values.js';

export interface CheckResult {
  valid: boolean;
  error: string[];
  errorType?: string;
}

export interface BfclFunctionDoc {
  name: string;
  parameters: { properties: Record<string, { type?: string; items?: { type?: string } }>; required?: string[] };
}

/** One possible answer: `{ "func.name": { param: [allowed values…] } }`. */
export type PossibleAnswer = Record<string, Record<string, unknown[]>>;

export interface CheckOptions {
  /**
   * BFCL's `underscore_to_dot` model flag: the model was given the function names with "." → "_"
   * (OpenAI-style tools, whose names cannot hold dots), so that is the one name expected. False for
   * prompting mode, where the model saw the names as written. Default false, as in BFCL's ModelConfig.
   */
  underscoreToDot?: boolean;
}

/** BFCL convert_func_name: the one function name the model is expected to write. */
export function expectedFunctionName(name: string, options: CheckOptions = {}): string {
  return options.underscoreToDot && name.includes('.') ? name.replace(/\./g, '_') : name;
}

/** BFCL find_description: the definition with exactly this name (the possible answer's name, as written). */
export function findDescription(docs: readonly BfclFunctionDoc[], name: string): BfclFunctionDoc | undefined {
  return docs.find((doc) => doc.name === name);
}

/** BFCL PYTHON_TYPE_MAPPING: description type → Python type. */
const PYTHON_TYPE_MAPPING: Readonly<Record<string, PyTypeName>> = {
  string: 'str',
  integer: 'int',
  float: 'float',
  boolean: 'bool',
  array: 'list',
  tuple: 'list',
  dict: 'dict',
  any: 'str',
};
const PYTHON_NESTED_TYPE_CHECK_LIST = ['array', 'tuple'];

const ok = (): CheckResult => ({ valid: true, error: [] });
/** A failed check with one error message (BFCL's `{valid: False, error: [msg], error_type}`). */
export const invalid = (errorType: string, error: string): CheckResult => ({ valid: false, error: [error], errorType });

/** BFCL standardize_string: drop spaces and ,./-_*^, lowercase, single → double quotes. */
export function standardizeString(s: string): string {
  return s.replace(/[ ,./\-_*^]/g, '').toLowerCase().replace(/'/g, '"');
}

function possibleAnswerType(possible: readonly unknown[]): PyTypeName | undefined {
  for (const answer of possible) if (answer !== '') return pyType(answer);
  return undefined;
}

interface TypeCheck extends CheckResult {
  isVariable: boolean;
}

function typeChecker(
  param: string,
  value: unknown,
  possible: readonly unknown[],
  expectedDescription: string,
  expected: PyTypeName,
  nested: PyTypeName | undefined,
): TypeCheck {
  const result: TypeCheck = { valid: true, error: [], isVariable: false, errorType: 'type_error:simple' };
  let isVariable = false;
  const paType = possibleAnswerType(possible);
  // A possible answer of another type than declared is a variable name (kept as a string).
  if (paType !== undefined && paType !== expected) isVariable = true;

  if (pyType(value) === expected) {
    if (nested === undefined) return { ...result, isVariable };
    for (const item of possible) {
      let flag = true;
      if (Array.isArray(item)) {
        for (const valueItem of value as PyValue[]) {
          const r = typeChecker(param, valueItem, item, nested, nested, undefined);
          if (!r.valid) {
            flag = false;
            break;
          }
        }
      }
      if (flag) return { valid: true, error: [], isVariable };
    }
    result.valid = false;
    result.error = [
      `Nested type checking failed for parameter ${pyRepr(param)}. Expected outer type ${expectedDescription} with inner type ${nested}. Parameter value: ${pyRepr(value)}.`,
    ];
    result.errorType = 'type_error:nested';
  }
  if (paType !== undefined && pyType(value) === paType) return { ...result, isVariable: true };
  result.valid = false;
  result.error.push(`Incorrect type for parameter ${pyRepr(param)}. Expected type ${expectedDescription}, got ${pyType(value)}. Parameter value: ${pyRepr(value)}.`);
  result.errorType = 'type_error:simple';
  return result;
}

function stringChecker(param: string, value: string, possible: readonly unknown[]): CheckResult {
  const std = possible.filter((p): p is string => typeof p === 'string').map(standardizeString);
  if (!std.includes(standardizeString(value))) {
    return invalid('value_error:string', `Invalid value for parameter ${pyRepr(param)}: ${pyRepr(value)}. Expected one of ${pyRepr(possible)}. Case insensitive.`);
  }
  return ok();
}

/** Python iterates a string's characters: BFCL's list checker does so for the "" optional marker. */
function asSequence(v: unknown): unknown[] {
  if (typeof v === 'string') return [...v];
  if (v instanceof PyTuple) return v.items;
  return Array.isArray(v) ? v : [];
}

function listChecker(param: string, value: PyValue[], possible: readonly unknown[]): CheckResult {
  const model = value.map((x) => (typeof x === 'string' ? standardizeString(x) : x));
  const answers = possible.map((answer) => asSequence(answer).map((x) => (typeof x === 'string' ? standardizeString(x) : x)));
  if (!pyIn(model, answers)) {
    return invalid('value_error:list/tuple', `Invalid value for parameter ${pyRepr(param)}: ${pyRepr(value)}. Expected one of ${pyRepr(possible)}.`);
  }
  return ok();
}

function dictChecker(param: string, value: Record<string, PyValue>, possibleAnswers: readonly unknown[]): CheckResult {
  let result: CheckResult = { valid: false, error: [], errorType: 'dict_checker:unclear' };
  for (const candidate of possibleAnswers) {
    if (candidate === '') continue;
    result = { valid: false, error: [], errorType: 'dict_checker:unclear' };
    const answer = candidate as Record<string, unknown[]>;
    let flag = true;
    for (const [key, v] of Object.entries(value)) {
      if (!Object.hasOwn(answer, key)) {
        result = invalid('value_error:dict_key', `Unexpected dict key parameter: '${key}'.`);
        flag = false;
        break;
      }
      const std = typeof v === 'string' ? standardizeString(v) : v;
      const allowed = asSequence(answer[key]).map((x) => (typeof x === 'string' ? standardizeString(x) : x));
      if (!pyIn(std, allowed)) {
        result = invalid('value_error:dict_value', `Invalid value for parameter ${pyRepr(key)}: ${pyRepr(v)}. Expected one of ${pyRepr(allowed)}.`);
        flag = false;
        break;
      }
    }
    for (const [key, allowed] of Object.entries(answer)) {
      if (!Object.hasOwn(value, key) && !asSequence(allowed).includes('')) {
        result = invalid('value_error:dict_key', `Missing dict key parameter: '${key}'.`);
        flag = false;
        break;
      }
    }
    if (flag) return ok();
  }
  return result;
}

function listDictChecker(param: string, value: PyValue[], possibleAnswers: readonly unknown[]): CheckResult {
  let result: CheckResult = { valid: false, error: [], errorType: 'list_dict_checker:unclear' };
  for (const candidate of possibleAnswers) {
    const answer = asSequence(candidate);
    if (value.length !== answer.length) {
      result = invalid('value_error:list_dict_count', 'Wrong number of dictionaries in the list.');
      continue;
    }
    let flag = true;
    for (let i = 0; i < value.length; i++) {
      result = dictChecker(param, value[i] as Record<string, PyValue>, [answer[i]]);
      if (!result.valid) {
        flag = false;
        break;
      }
    }
    if (flag) return ok();
  }
  return result;
}

/**
 * BFCL simple_function_checker: one call against one possible answer. Exactly one spelling of a
 * dotted name is accepted, the one the model was shown (see CheckOptions.underscoreToDot).
 */
export function simpleFunctionChecker(doc: BfclFunctionDoc, call: ParsedCall, possibleAnswer: PossibleAnswer, options: CheckOptions = {}): CheckResult {
  const possible = Object.values(possibleAnswer)[0] ?? {};
  const properties = doc.parameters.properties;
  const required = doc.parameters.required ?? [];
  const expectedName = expectedFunctionName(doc.name, options);
  if (call.name !== expectedName) {
    return invalid('simple_function_checker:wrong_func_name', `Function name ${pyRepr(expectedName)} not found in model output (got ${pyRepr(call.name)}).`);
  }
  for (const param of required) {
    if (!Object.hasOwn(call.args, param)) return invalid('simple_function_checker:missing_required', `Missing required parameter: ${pyRepr(param)}.`);
  }
  for (const [param, raw] of Object.entries(call.args)) {
    if (!Object.hasOwn(properties, param) || !Object.hasOwn(possible, param)) {
      return invalid('simple_function_checker:unexpected_param', `Unexpected parameter: ${pyRepr(param)}.`);
    }
    const details = properties[param]!;
    const description = details.type ?? 'string';
    const expected = PYTHON_TYPE_MAPPING[description] ?? 'str';
    const nested = PYTHON_NESTED_TYPE_CHECK_LIST.includes(description) ? PYTHON_TYPE_MAPPING[details.items?.type ?? 'string'] ?? 'str' : undefined;
    let value: PyValue = raw;
    // BFCL: tuples compared as lists (JSON round-trips lose tuples); ints accepted for floats.
    if (description === 'tuple' && value instanceof PyTuple) value = value.items;
    if (description === 'float' && pyType(value) === 'int' && typeof value === 'number') value = new PyFloat(value);
    const allowed = possible[param]!;
    const typeCheck = typeChecker(param, value, allowed, description, expected, nested);
    if (!typeCheck.valid) return typeCheck;
    if (!typeCheck.isVariable) {
      if (expected === 'dict') {
        const r = dictChecker(param, value as Record<string, PyValue>, allowed);
        if (!r.valid) return r;
        continue;
      }
      if (expected === 'list' && nested === 'dict') {
        const r = listDictChecker(param, value as PyValue[], allowed);
        if (!r.valid) return r;
        continue;
      }
      if (expected === 'str') {
        const r = stringChecker(param, value as string, allowed);
        if (!r.valid) return r;
        continue;
      }
      if (expected === 'list') {
        const r = listChecker(param, value as PyValue[], allowed);
        if (!r.valid) return r;
        continue;
      }
    }
    if (!pyIn(value, allowed)) {
      return invalid('value_error:others', `Invalid value for parameter ${pyRepr(param)}: ${pyRepr(value)}. Expected one of ${pyRepr(allowed)}.`);
    }
  }
  for (const [param, allowed] of Object.entries(possible)) {
    if (!Object.hasOwn(call.args, param) && !allowed.includes('')) {
      return invalid('simple_function_checker:missing_optional', `Optional parameter ${pyRepr(param)} not provided and not marked as optional.`);
    }
  }
  return ok();
}

/** BFCL ast_checker's simple branch: exactly one call, checked against the first definition and answer. */
export function astCheckSimple(docs: readonly BfclFunctionDoc[], calls: readonly ParsedCall[], groundTruth: readonly PossibleAnswer[], options: CheckOptions = {}): CheckResult {
  const countError = wrongCount('simple_function_checker', 1, calls.length);
  if (countError) return countError;
  const answer = groundTruth[0];
  const doc = docs[0];
  if (!answer || !doc) return invalid('simple_function_checker:bad_target', 'The sample has no function definition or possible answer.');
  return simpleFunctionChecker(doc, calls[0]!, answer, options);
}

/** BFCL's count check, shared by its multiple and parallel checkers: undefined when the counts agree. */
export function wrongCount(checker: string, expected: number, got: number): CheckResult | undefined {
  if (expected === got) return undefined;
  return invalid(`${checker}:wrong_count`, `Wrong number of functions: expected ${expected}, got ${got}.`);
}
