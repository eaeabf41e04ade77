import { describe, expect, it } from 'vitest';
import { consoleReporterOptions, createConsoleReporter } from '../src/index.js';
import { makeRecord, makeRun, makeSummary } from '@yardstick/core/testing';
import { CaptureStream } from './capture.js';

describe('progress bar on a terminal', () => {
  it('draws a bar with count, rate and running score, then the summary after it', async () => {
    const out = new CaptureStream(true);
    const { run, events, store } = await makeRun([]);
    const reporter = createConsoleReporter(consoleReporterOptions.parse({ color: false }), out);
    reporter.setup(run);
    events.emit('benchmarkStart', { benchmark: 'gsm8k', total: 10, skipped: 0 });
    for (let i = 0; i < 10; i++) events.emit('sampleDone', { benchmark: 'gsm8k', record: makeRecord('gsm8k', i, { score: i < 5 ? 1 : 0 }) });
    events.emit('benchmarkEnd', { benchmark: 'gsm8k', summary: makeSummary().benchmarks.gsm8k! });
    reporter.report(makeSummary(), run);
    reporter.teardown(run);
    expect(out.text).toContain('gsm8k ████████████████████████████ 100% | 10/10 |');
    expect(out.text).toContain('| took ');
    expect(out.text).toContain('| exact_match_strict 0.500');
    expect(out.text).toContain('\x1b[?25h'); // cursor shown again
    const summaryAt = out.text.indexOf('Yardstick run run-test');
    expect(summaryAt).toBeGreaterThan(out.text.lastIndexOf('100% | 10/10'));
    await store.close();
  });

  it("shows a phase's warm-up in place of the rate until measuring starts", async () => {
    const out = new CaptureStream(true);
    const { run, events, store } = await makeRun([]);
    const reporter = createConsoleReporter(consoleReporterOptions.parse({ color: false }), out);
    reporter.setup(run);
    events.emit('benchmarkStart', { benchmark: 'serving', total: 10, skipped: 0, warmupMs: 60_000 });
    reporter.teardown(run);
    expect(out.text).toMatch(/serving ░+ +0% \| 0\/10 \| warming up, measuring in \d+\.\d s \| ETA –/);
    await store.close();
  });
});
