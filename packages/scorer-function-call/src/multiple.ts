/**
 * BFCL multiple_function_checker (ast_checker.py), for the "multiple" categories: several functions
 * are offered and one call of one of them is expected.
 */
import { findDescription, invalid, simpleFunctionChecker, wrongCount, type BfclFunctionDoc, type CheckOptions, type CheckResult, type PossibleAnswer } from './checker.js';
import type { ParsedCall } from './parse.js';
import { pyRepr } from './values.js';

export function multipleFunctionChecker(
  docs: readonly BfclFunctionDoc[],
  calls: readonly ParsedCall[],
  possibleAnswers: readonly PossibleAnswer[],
  options: CheckOptions = {},
): CheckResult {
  // As BFCL: the count is compared with the number of possible answers (one in this category).
  const countError = wrongCount('multiple_function_checker', possibleAnswers.length, calls.length);
  if (countError) return countError;
  const answer = possibleAnswers[0];
  if (answer === undefined) return invalid('multiple_function_checker:bad_target', 'The sample has no possible answer.');
  // The definition is the one named by the possible answer, not docs[0]: the offered functions
  // come in any order.
  const name = Object.keys(answer)[0] ?? '';
  const doc = findDescription(docs, name);
  if (doc === undefined) {
    // BFCL would stop with a TypeError here (find_description returns None); a sample-level error instead.
    return invalid('multiple_function_checker:bad_target', `No function definition named ${pyRepr(name)} for the possible answer.`);
  }
  // BFCL checks only the first call against the first answer: the counts are equal and are 1 here.
  return simpleFunctionChecker(doc, calls[0]!, answer, options);
}
