/**
 * BFCL ast_checker (ast_checker.py): picks the checker from the test category name, as BFCL does, by
 * substring: "parallel" first (so parallel_multiple is checked as parallel), then "multiple", else
 * simple. Python flavour only.
 */
import { astCheckSimple, invalid, type BfclFunctionDoc, type CheckOptions, type CheckResult, type PossibleAnswer } from './checker.js';
import { multipleFunctionChecker } from './multiple.js';
import { parallelFunctionCheckerNoOrder } from './parallel.js';
import type { ParsedCall } from './parse.js';

export type CheckerKind = 'simple' | 'multiple' | 'parallel';

export interface AstCheckOptions extends CheckOptions {
  /** BFCL test category (`simple_python`, `multiple`, `parallel`, `parallel_multiple`, `live_simple`…); none = simple. */
  category?: string;
}

/**
 * Categories BFCL does not score with this checker, tested with BFCL's own predicates
 * (bfcl_eval/utils.py: is_relevance_or_irrelevance, is_multi_turn, is_agentic,
 * is_format_sensitivity, is_java, is_js). Running the AST check on them would give a wrong score
 * rather than a missing one.
 */
const NOT_AST_CHECKED: ReadonlyArray<readonly [string, string]> = [
  ['relevance', 'relevance/irrelevance is scored by whether any call decodes'],
  ['multi_turn', 'multi-turn is scored by executing the calls'],
  ['web_search', 'agentic categories are scored on the final answer'],
  ['memory', 'agentic categories are scored on the final answer'],
  ['format_sensitivity', 'format sensitivity needs its per-entry prompt formats'],
  ['java', 'Java and JavaScript use their own type converters, not ported here'],
];

/** Which checker BFCL's ast_checker runs for a category, or why this scorer cannot score it. */
export function checkerKind(category: string | undefined): CheckerKind | { unsupported: string } {
  if (category === undefined) return 'simple';
  for (const [part, why] of NOT_AST_CHECKED) {
    if (category.includes(part)) return { unsupported: `BFCL category ${JSON.stringify(category)} is not scored by the AST checker: ${why}.` };
  }
  if (category.includes('parallel')) return 'parallel';
  if (category.includes('multiple')) return 'multiple';
  return 'simple';
}

export function astChecker(
  docs: readonly BfclFunctionDoc[],
  calls: readonly ParsedCall[],
  groundTruth: readonly PossibleAnswer[],
  options: AstCheckOptions = {},
): CheckResult {
  const kind = checkerKind(options.category);
  if (typeof kind !== 'string') return invalid('unsupported_category', kind.unsupported);
  const nameOptions: CheckOptions = { underscoreToDot: options.underscoreToDot ?? false };
  if (kind === 'parallel') return parallelFunctionCheckerNoOrder(docs, calls, groundTruth, nameOptions);
  if (kind === 'multiple') return multipleFunctionChecker(docs, calls, groundTruth, nameOptions);
  return astCheckSimple(docs, calls, groundTruth, nameOptions);
}
