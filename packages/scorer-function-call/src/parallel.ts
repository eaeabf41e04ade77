/**
 * BFCL parallel_function_checker_no_order (ast_checker.py), for every category whose name contains
 * "parallel" (parallel, parallel_multiple, live_parallel, live_parallel_multiple): several calls,
 * in any order.
 */
import { findDescription, invalid, simpleFunctionChecker, wrongCount, type BfclFunctionDoc, type CheckOptions, type CheckResult, type PossibleAnswer } from './checker.js';
import type { ParsedCall } from './parse.js';
import { pyRepr } from './values.js';

const PREFIX = 'parallel_function_checker_no_order';

/**
 * Each possible answer, in order, takes the first not-yet-used call that passes the simple check
 * against it. This is greedy like BFCL's, not an optimal matching: BFCL scores it this way, so a
 * call that fits two answers can be used up by the first of them.
 */
export function parallelFunctionCheckerNoOrder(
  docs: readonly BfclFunctionDoc[],
  calls: readonly ParsedCall[],
  possibleAnswers: readonly PossibleAnswer[],
  options: CheckOptions = {},
): CheckResult {
  const countError = wrongCount(PREFIX, possibleAnswers.length, calls.length);
  if (countError) return countError;
  const matched = new Set<number>();
  for (let i = 0; i < possibleAnswers.length; i++) {
    const answer = possibleAnswers[i]!;
    // The definition comes from the answer's function name: the calls may be in any order.
    const name = Object.keys(answer)[0] ?? '';
    const doc = findDescription(docs, name);
    if (doc === undefined) {
      // BFCL would stop with a TypeError here (find_description returns None); a sample-level error instead.
      return invalid(`${PREFIX}:bad_target`, `No function definition named ${pyRepr(name)} for index ${i} of possible answers.`);
    }
    const errors: string[] = [];
    let found = false;
    for (let index = 0; index < calls.length; index++) {
      if (matched.has(index)) continue;
      const result = simpleFunctionChecker(doc, calls[index]!, answer, options);
      if (result.valid) {
        matched.add(index);
        found = true;
        break;
      }
      // BFCL keeps {sub_error, sub_error_type, model_output_item, possible_answer_item} per index.
      errors.push(`Model Result Index ${index}: ${result.errorType}: ${result.error.join(' ')}`);
    }
    if (!found) {
      const considered = calls.map((_, index) => index).filter((index) => !matched.has(index));
      return {
        valid: false,
        error: [`Could not find a matching function among index ${pyRepr(considered)} of model output for index ${i} of possible answers.`, ...errors],
        errorType: `${PREFIX}:cannot_find_match`,
      };
    }
  }
  return { valid: true, error: [] };
}
