import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { killGroup } from '@yardstick/core';

type Child = ChildProcessByStdio<Writable, Readable, null>;

/**
 * The reference's own language detector: Python `langdetect` (1.0.9, Debian `python3-langdetect`),
 * run in one long-lived interpreter that answers a JSON line of texts with a JSON line of codes,
 * seeded 0 as the current IFEval reference seeds it, so verdicts are the reference's to the text.
 * franc (language.ts) stands in only where no interpreter has langdetect.
 */
const SCRIPT = [
  'import sys, json',
  'try:',
  '    from langdetect import DetectorFactory, detect',
  '    from langdetect.lang_detect_exception import LangDetectException',
  'except Exception as e:',
  '    print(json.dumps({"error": repr(e)}), flush=True)',
  '    sys.exit(0)',
  'DetectorFactory.seed = 0',
  'try:',
  '    from importlib.metadata import version',
  '    v = version("langdetect")',
  'except Exception:',
  '    v = "unknown"',
  'print(json.dumps({"ready": v}), flush=True)',
  'for line in sys.stdin:',
  '    out = []',
  '    for text in json.loads(line):',
  '        try:',
  '            out.append(detect(text))',
  '        except LangDetectException:',
  '            out.append(None)',
  '        except Exception:',
  '            out.append("!error")',
  '    print(json.dumps(out), flush=True)',
].join('\n');

/** How long an interpreter may take to import langdetect and say it is ready. */
const START_TIMEOUT_MS = 20_000;

/** The interpreter runs in its own process group (detached): kill the group, so nothing outlives us. */
function killInterpreter(pid: number | undefined): void {
  if (pid !== undefined) killGroup(pid, 'SIGKILL');
}

/** Codes per text; `null` where langdetect raised LangDetectException (the reference: "followed"). */
export type Detections = (string | null)[];

export class LangdetectProcess {
  /** Replies are read in order; each request waits for the one before (one line in, one line out). */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly child: Child,
    private readonly lines: AsyncIterator<string>,
    private readonly reader: Interface,
    readonly python: string,
    readonly version: string,
  ) {}

  /** The first interpreter of `candidates` that imports langdetect, or why none does. */
  static async start(candidates: readonly string[]): Promise<LangdetectProcess | string> {
    const problems: string[] = [];
    for (const python of candidates) {
      const started = await LangdetectProcess.tryStart(python);
      if (typeof started !== 'string') return started;
      problems.push(`${python}: ${started}`);
    }
    return problems.join('; ');
  }

  private static async tryStart(python: string): Promise<LangdetectProcess | string> {
    // A plain spawn, not execa: one long-lived process talking line by line, nothing to collect.
    // Its own process group: a Ctrl-C at the terminal is Yardstick's to handle, and must not kill the
    // detector mid-run (it exits by itself when our end of its stdin closes). UTF-8 whatever the locale.
    const child = spawn(python, ['-I', '-X', 'utf8', '-c', SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    const spawnFailure = new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(error.message));
      child.once('exit', (code) => resolve(`exited with code ${code}`));
    });
    child.stdin.on('error', () => undefined); // a dead interpreter surfaces as the missing reply
    const reader = createInterface({ input: child.stdout });
    const lines = reader[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    const tooSlow = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS)));
    const first = await Promise.race([lines.next().then((r) => (r.done ? 'no output' : r.value)), spawnFailure, tooSlow]).finally(() => clearTimeout(timer));
    let hello: { ready?: string; error?: string } = {};
    try {
      hello = JSON.parse(first) as typeof hello;
    } catch {
      hello = { error: first };
    }
    if (hello.ready === undefined) {
      killInterpreter(child.pid);
      reader.close();
      return hello.error ?? 'no langdetect';
    }
    return new LangdetectProcess(child, lines, reader, python, hello.ready);
  }

  /**
   * langdetect's `detect` of each text, in order (`"!error"` where it raised anything but
   * LangDetectException). Rejects when the interpreter died or took longer than `timeoutMs`.
   */
  detect(texts: readonly string[], timeoutMs = 30_000): Promise<Detections> {
    const next = this.queue.then(async () => {
      this.child.stdin.write(`${JSON.stringify(texts)}\n`);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          this.close();
          reject(new Error(`langdetect (${this.python}) did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      const line = await Promise.race([this.lines.next(), late]).finally(() => clearTimeout(timer));
      if (line.done) throw new Error(`langdetect (${this.python}) exited`);
      return JSON.parse(line.value) as Detections;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.reader.close();
    this.child.stdin.end();
    killInterpreter(this.child.pid);
  }
}
