import type { GenerateResult, ScoreCard, ScoredSample } from '@yardstick/core';
import { astChecker, checkerKind } from './astChecker.js';
import { invalid, type BfclFunctionDoc, type CheckResult, type PossibleAnswer } from './checker.js';
import { floatsFromDeclaredTypes } from './declaredFloats.js';
import { parseLiteral, parseTextCalls, ParseError, type ParsedCall } from './parse.js';
import { PyFloat, PyTuple, type PyValue } from './values.js';

export const SCORER_NAME = 'scorer-function-call';

/** How the functions reached the model: OpenAI `tools` (names with "." → "_") or BFCL's prompt text. */
export type BfclMode = 'tools' | 'prompt';

export interface Target {
  functions: BfclFunctionDoc[];
  groundTruth: PossibleAnswer[];
  /** BFCL test category, when the target names one. */
  category?: string;
  mode?: BfclMode;
  /** Where int vs float in the answers comes from: the published JSON text, or the declared types. */
  numbers: 'source' | 'declared types';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Shapes the checkers index into; checked once here so a malformed target is a reason, never a throw. */
function shapeError(functions: unknown[], groundTruth: unknown[]): string | undefined {
  for (const [i, f] of functions.entries()) {
    if (!isObject(f) || typeof f.name !== 'string' || !isObject(f.parameters) || !isObject(f.parameters.properties)) {
      return `target.functions[${i}] must have a string "name" and "parameters.properties"`;
    }
  }
  for (const [i, answer] of groundTruth.entries()) {
    const entries = isObject(answer) ? Object.values(answer) : [];
    if (entries.length !== 1 || !isObject(entries[0]) || !Object.values(entries[0]).every(Array.isArray)) {
      return `target.ground_truth[${i}] must be {function: {param: [allowed values]}}`;
    }
  }
  return undefined;
}

/** The sample's target: `{ground_truth, functions, source?, category?, mode?}` as benchmark-bfcl writes it. */
export function readTarget(target: unknown): Target | string {
  const t = target as { ground_truth?: unknown; functions?: unknown; source?: unknown; category?: unknown; mode?: unknown } | null;
  if (typeof t !== 'object' || t === null) return 'target is not an object';
  if (!Array.isArray(t.functions) || t.functions.length === 0) return 'target.functions must be a non-empty list of BFCL function definitions';
  if (t.category !== undefined && typeof t.category !== 'string') return 'target.category must be a string (a BFCL test category such as "parallel_multiple")';
  if (t.mode !== undefined && t.mode !== 'tools' && t.mode !== 'prompt') return 'target.mode must be "tools" or "prompt"';
  let groundTruth: unknown = t.ground_truth;
  let fromSource = false;
  if (typeof t.source === 'string') {
    // Typed re-read of the published line: 5.0 stays a float as in BFCL's json.loads.
    try {
      const parsed = parseLiteral(t.source);
      if (typeof parsed === 'object' && parsed !== null && 'ground_truth' in parsed) {
        groundTruth = (parsed as Record<string, PyValue>).ground_truth;
        fromSource = true;
      }
    } catch {
      // keep the plain ground_truth
    }
  }
  if (!Array.isArray(groundTruth) || groundTruth.length === 0) return 'target.ground_truth must be a non-empty list';
  const shape = shapeError(t.functions, groundTruth);
  if (shape !== undefined) return shape;
  const functions = t.functions as BfclFunctionDoc[];
  const answers = groundTruth as PossibleAnswer[];
  return {
    functions,
    // Without the JSON text, 1.0 arrived as 1: rebuild floats from the declared types (declaredFloats.ts).
    groundTruth: fromSource ? answers : floatsFromDeclaredTypes(answers, functions),
    ...(t.category !== undefined && { category: t.category as string }),
    ...(t.mode !== undefined && { mode: t.mode as BfclMode }),
    numbers: fromSource ? 'source' : 'declared types',
  };
}

/** Structured tool calls when the engine returned any, else calls written in the text. */
export function extractCalls(result: GenerateResult): { calls: ParsedCall[]; source: 'tool_calls' | 'text' } {
  if (result.toolCalls && result.toolCalls.length > 0) {
    const calls = result.toolCalls.map((tc, i) => {
      const raw = tc.arguments.trim() === '' ? '{}' : tc.arguments;
      let args: PyValue;
      try {
        args = parseLiteral(raw);
      } catch (error) {
        throw new ParseError(`tool call ${i} (${tc.name}): arguments are not valid JSON: ${(error as Error).message}`);
      }
      if (typeof args !== 'object' || args === null || Array.isArray(args) || args instanceof PyTuple || args instanceof PyFloat) {
        throw new ParseError(`tool call ${i} (${tc.name}): arguments must be a JSON object`);
      }
      return { name: tc.name, args: args as Record<string, PyValue> };
    });
    return { calls, source: 'tool_calls' };
  }
  return { calls: parseTextCalls(result.text ?? ''), source: 'text' };
}

/** JSON-friendly view of parsed values for the stored details. */
function plain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (v instanceof PyTuple) return v.items.map(plain);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

export interface SampleCheck {
  check: CheckResult;
  calls?: ParsedCall[];
  source?: 'tool_calls' | 'text';
  category?: string;
  mode?: BfclMode;
  numbers?: Target['numbers'];
}

/**
 * The category from the target, else the sample's metadata.category (benchmark-bfcl writes both;
 * older records have only the metadata), else none, which is checked as simple.
 */
function categoryOf(sample: ScoredSample, target: Target): string | undefined {
  const fromMetadata = sample.sample.metadata?.category;
  return target.category ?? (typeof fromMetadata === 'string' ? fromMetadata : undefined);
}

export function checkSample(sample: ScoredSample): SampleCheck {
  if (sample.result.error) {
    return { check: invalid('generation_error', `generation failed: ${sample.result.error.code}: ${sample.result.error.message}`) };
  }
  const target = readTarget(sample.sample.target);
  if (typeof target === 'string') return { check: invalid('bad_target', `bad target for sample ${sample.sample.id}: ${target}`) };
  const category = categoryOf(sample, target);
  const kind = checkerKind(category);
  if (typeof kind !== 'string') return { check: invalid('unsupported_category', kind.unsupported), category, numbers: target.numbers };
  let extracted;
  try {
    extracted = extractCalls(sample.result);
  } catch (error) {
    return { check: invalid('ast_decoder:decoder_failed', `no function call could be read: ${(error as Error).message}`), category, numbers: target.numbers };
  }
  // Without a mode in the target, the reply says how the functions were sent: tool calls come back
  // from `tools` requests, text calls from BFCL's prompt. BFCL expects the name the model was shown.
  const mode: BfclMode = target.mode ?? (extracted.source === 'tool_calls' ? 'tools' : 'prompt');
  const check = astChecker(target.functions, extracted.calls, target.groundTruth, { category, underscoreToDot: mode === 'tools' });
  return { check, calls: extracted.calls, source: extracted.source, category, mode, numbers: target.numbers };
}

export function scoreFunctionCall(card: ScoreCard, sample: ScoredSample): ScoreCard {
  const { check, calls, source, category, mode, numbers } = checkSample(sample);
  return {
    ...card,
    metrics: { ...card.metrics, ast_accuracy: check.valid ? 1 : 0 },
    reasons: { ...card.reasons, [SCORER_NAME]: check.valid ? 'correct' : `${check.errorType}: ${check.error.join(' ')}` },
    details: {
      ...card.details,
      [SCORER_NAME]: {
        valid: check.valid,
        errorType: check.errorType,
        error: check.error,
        category,
        mode,
        numbers,
        source,
        calls: calls?.map((c) => ({ name: c.name, args: plain(c.args) })),
      },
    },
  };
}
