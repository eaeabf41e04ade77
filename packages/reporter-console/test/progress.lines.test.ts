import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleReporterOptions, createConsoleReporter, ProgressView, progressMode } from '../src/index.js';
import { makeRecord, makeRun, makeSummary } from '@yardstick/core/testing';
import { CaptureStream } from './capture.js';
import pc from 'picocolors';

const plain = pc.createColors(false);

afterEach(() => {
  vi.useRealTimers();
});

describe('progress in line mode (CI, not a terminal)', () => {
  it('picks lines when the stream is not a TTY and a bar when it is', () => {
    expect(progressMode('auto', new CaptureStream(false))).toBe('lines');
    expect(progressMode('auto', new CaptureStream(true))).toBe('bar');
    expect(progressMode('off', new CaptureStream(true))).toBe('off');
  });

  it('prints a start line, one line per 10% with rate, ETA and running score, and a done line', async () => {
    const out = new CaptureStream(false);
    const { run, events, store } = await makeRun([]);
    const reporter = createConsoleReporter(consoleReporterOptions.parse({ color: false }), out);
    reporter.setup(run);
    events.emit('benchmarkStart', { benchmark: 'gsm8k', total: 100, skipped: 0 });
    for (let i = 0; i < 100; i++) {
      // every 4th answer right, every 10th request failed
      const record = makeRecord('gsm8k', i, { score: i % 4 === 0 ? 1 : 0, error: i % 10 === 9 });
      events.emit('requestDone', { benchmark: 'gsm8k', result: record.result });
      events.emit('sampleDone', { benchmark: 'gsm8k', record });
    }
    events.emit('benchmarkEnd', { benchmark: 'gsm8k', summary: makeSummary().benchmarks.gsm8k! });
    reporter.teardown(run);
    const lines = out.text.trim().split('\n');
    expect(lines[0]).toBe('[gsm8k] started: 100 samples');
    const progress = lines.filter((l) => /\d+\/100 +\d+%/.test(l));
    expect(progress).toHaveLength(10); // 10%, 20%, … 100%: throttled, not one per sample
    expect(progress[4]).toMatch(/^\[gsm8k\] 50\/100  50% · [\d.]+ samples\/s · ETA .+ · exact_match_strict 0\.260 · failed 5$/);
    expect(lines.at(-1)).toMatch(/^\[gsm8k\] done: 100\/100 in .+ · exact_match_strict 0\.250 · failed 10$/);
    expect(out.text).not.toContain('\x1b['); // no colour, no cursor movement
    await store.close();
  });

  it("a phase's warm-up: said at the start, and rates count from when measuring began", async () => {
    const out = new CaptureStream(false);
    let now = 0;
    const view = new ProgressView(out, { mode: 'lines', intervalMs: 5000, stepPercent: 50, colors: plain, now: () => now });
    const { events, store } = await makeRun([]);
    view.attach(events);
    events.emit('benchmarkStart', { benchmark: 'serving[rate=20]', total: 4, skipped: 0, warmupMs: 2000 });
    expect(out.text).toContain('[serving[rate=20]] started: 4 samples after a 2.0 s warm-up');
    const b = view.get('serving[rate=20]')!;
    now = 500;
    expect(b.warmingUp(now)).toBe(true);
    expect(b.elapsedMs(now)).toBe(0);
    now = 3000; // 1 s after measuring began
    for (let i = 0; i < 2; i++) events.emit('sampleDone', { benchmark: 'serving[rate=20]', record: makeRecord('serving[rate=20]', i, { score: 1 }) });
    expect(b.warmingUp(now)).toBe(false);
    expect(b.rate(now)).toBe(2); // 2 samples in the 1 s since the warm-up, not in the 3 s since the start
    view.stop();
    await store.close();
  });

  it('counts resumed samples as progress and widens a total that was too small', async () => {
    const out = new CaptureStream(false);
    const view = new ProgressView(out, { mode: 'lines', intervalMs: 5000, stepPercent: 25, colors: plain });
    const { events, store } = await makeRun([]);
    view.attach(events);
    events.emit('benchmarkStart', { benchmark: 'b', total: 4, skipped: 2 });
    expect(out.text).toContain('[b] started: 4 samples (2 already done)');
    for (let i = 0; i < 3; i++) events.emit('sampleDone', { benchmark: 'b', record: makeRecord('b', i, { score: 1 }) });
    expect(view.get('b')!.value).toBe(5);
    expect(view.get('b')!.effectiveTotal).toBe(5);
    expect(out.text).toContain('[b] 3/4  75%');
    expect(out.text).toContain('[b] 4/4 100%');
    expect(out.text).not.toContain('[b] 5/5'); // same 25% bucket as 4/4: throttled
    view.stop();
    view.stop(); // idempotent
    await store.close();
  });

  it('reports every interval when the total is unknown, only while something moves', async () => {
    vi.useFakeTimers();
    let now = 0;
    const out = new CaptureStream(false);
    const view = new ProgressView(out, { mode: 'lines', intervalMs: 5000, stepPercent: 10, colors: plain, now: () => now });
    const { events, store } = await makeRun([]);
    view.attach(events);
    events.emit('benchmarkStart', { benchmark: 'serving', total: undefined, skipped: 0 });
    expect(out.text).toContain('[serving] started: unknown number of samples');
    for (let i = 0; i < 3; i++) {
      const record = makeRecord('serving', i);
      events.emit('requestDone', { benchmark: 'serving', result: record.result });
      events.emit('sampleDone', { benchmark: 'serving', record });
    }
    now = 2000;
    vi.advanceTimersByTime(2000);
    expect(out.text.split('\n').filter(Boolean)).toHaveLength(1); // too early
    now = 6000;
    vi.advanceTimersByTime(4000);
    expect(out.text).toContain('[serving] 3 done · 0.50 samples/s · ok 100.0%');
    now = 20_000;
    vi.advanceTimersByTime(14_000);
    expect(out.text.split('\n').filter(Boolean)).toHaveLength(2); // nothing moved: silent
    view.stop();
    await store.close();
  });
});
