import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAICompatibleClient } from '../src/openai/index.js';
import { PerformanceAggregator } from '../src/performance/aggregator.js';
import { vllmRequestDetail } from '../src/performance/vllm-json.js';
import { clientEngine, createTestKernel } from '../src/testing/index.js';
import type { GenerateRequest, GenerateResult, Sample } from '../src/types.js';

// A stand-in server that plays a script per request: each event written at its offset (ms) after the
// request was read, the stream ended after the last. The prompt (or the last chat message) names the
// script. What vLLM's client (vllm/benchmarks/lib/endpoint_request_func.py) would make of each:
// a chunk with non-empty `choices` is a token chunk (TTFT on the first, ITL after, and the latency
// ends at the last one); a usage-only chunk only sets the output tokens; no `choices` chunk at all
// fails the request.
type Script = [atMs: number, event: unknown][];

const completion = (text: string, finish: string | null = null) => ({ id: 'cmpl-1', object: 'text_completion', choices: [{ index: 0, text, logprobs: null, finish_reason: finish }] });
const chat = (delta: Record<string, string>, finish: string | null = null) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
const usage = (prompt: number, out: number) => ({ id: 'cmpl-1', choices: [], usage: { prompt_tokens: prompt, completion_tokens: out } });

/** The audit's shape: 11 tokens 15 ms apart from 50 ms (the last with finish_reason), usage 40 ms later, [DONE] 10 ms after that. */
const usageTail: Script = [
  ...Array.from({ length: 11 }, (_, i): [number, unknown] => [50 + 15 * i, completion(`t${i} `, i === 10 ? 'length' : null)]),
  [240, usage(7, 11)],
  [250, '[DONE]'],
];

const SCRIPTS: Record<string, Script> = {
  usageTail,
  // Chat: a role-only chunk long before the first content, an empty finish chunk after the last.
  chatRole: [
    [10, chat({ role: 'assistant', content: '' })],
    [50, chat({ content: 'Hello' })],
    [70, chat({ content: ' there' })],
    [90, chat({}, 'stop')],
    [130, usage(9, 2)],
    [140, '[DONE]'],
  ],
  // A 200 stream with no token at all.
  usageOnly: [
    [5, usage(7, 0)],
    [10, '[DONE]'],
  ],
  doneOnly: [[5, '[DONE]']],
  // Three tokens, then nothing for 10 s: a stall the generate hook's timeout cuts.
  stall: [
    [20, completion('a ')],
    [30, completion('b ')],
    [40, completion('c ')],
    [10_000, '[DONE]'],
  ],
  // Successful but without content: one empty finish chunk at 80 ms.
  emptyFinish: [
    [80, completion('', 'stop')],
    [85, usage(7, 1)],
    [90, '[DONE]'],
  ],
};

let server: Server;
let baseUrl: string;
let http500 = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { prompt?: string; messages?: { content: string }[] };
      const name = body.prompt ?? body.messages?.at(-1)?.content ?? '';
      if (name === 'http500') {
        http500++;
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end('{"error":{"message":"overloaded"}}');
      }
      const script = SCRIPTS[name];
      if (!script) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const start = performance.now();
      let i = 0;
      // Absolute offsets from the request's arrival, so timer lateness never accumulates.
      const next = () => {
        const [at, event] = script[i]!;
        setTimeout(
          () => {
            res.write(`data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`);
            if (++i < script.length) next();
            else res.end();
          },
          Math.max(0, at - (performance.now() - start)),
        );
      };
      next();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function request(script: string, kind: 'completion' | 'chat' = 'completion'): GenerateRequest {
  const base = { requestId: `parity:${script}`, benchmark: 'parity', sampleId: script, params: { maxTokens: 16, temperature: 0 } };
  return kind === 'completion' ? { ...base, kind, prompt: script } : { ...base, kind, messages: [{ role: 'user', content: script }] };
}

async function generate(script: string, kind: 'completion' | 'chat' = 'completion'): Promise<GenerateResult> {
  const client = new OpenAICompatibleClient({ baseUrl, connections: 1 });
  try {
    return await client.generate(request(script, kind));
  } finally {
    await client.close();
  }
}

describe('vLLM bench serve parity: where a request ends, and which streams count', () => {
  it('ends E2EL and TPOT at the last chunk with choices, not at a trailing usage chunk and [DONE]; duration still ends at the last byte', async () => {
    const r = await generate('usageTail');
    expect(r.error).toBeUndefined();
    const t = r.timing;
    expect(t.chunksMs).toHaveLength(11);
    // The last choices chunk is the last token here; usage and [DONE] came ~50 ms after it.
    expect(t.lastChoiceMs).toBe(t.chunksMs.at(-1));
    expect(t.doneMs - t.lastChoiceMs!).toBeGreaterThan(40);
    expect(t.firstChoiceMs).toBeUndefined();

    const agg = new PerformanceAggregator({ slo: { e2el: (t.lastChoiceMs! + t.doneMs) / 2 } });
    agg.add(r);
    const s = agg.summarize();
    // vLLM: latency = most_recent_timestamp − st ≈ 200 ms (the last byte was ≈ 250 ms).
    expect(s.e2el_ms.mean).toBe(t.lastChoiceMs);
    expect(s.e2el_ms.mean).toBeLessThan(t.doneMs - 40);
    // TPOT = (latency − TTFT) / (11 − 1) ≈ 15 ms, not ≈ 20.
    expect(s.tpot_ms.mean).toBeCloseTo((t.lastChoiceMs! - t.firstTokenMs!) / 10, 9);
    // The e2el SLO sits between the two ends: met by vLLM's latency, missed by the last byte's.
    expect(s.goodput).toBe(s.request_throughput);
    // The run's wall time still waits for the whole reply, as vLLM's benchmark duration does.
    expect(s.duration_s).toBeCloseTo(t.doneMs / 1000, 6);
    // The vLLM export's latency is the same E2EL.
    expect(vllmRequestDetail(r).latencies).toBeCloseTo(t.lastChoiceMs! / 1000, 6);
  });

  it('chat: TTFT and ITL stay on content chunks (a role-only chunk is no token here); the latency ends at the empty finish chunk', async () => {
    const r = await generate('chatRole', 'chat');
    expect(r.error).toBeUndefined();
    expect(r.text).toBe('Hello there');
    const t = r.timing;
    expect(t.chunksMs).toHaveLength(2);
    // Scheduled at 50 ms: the role chunk at 10 ms (vLLM's TTFT) does not count here.
    expect(t.firstTokenMs).toBeGreaterThan(40);
    expect(t.firstChoiceMs).toBeUndefined();
    // The finish chunk (90 ms) has choices: the latency ends there, after the last content (70 ms)
    // and before usage and [DONE] (130, 140 ms).
    expect(t.lastChoiceMs! - t.chunksMs.at(-1)!).toBeGreaterThan(10);
    expect(t.doneMs - t.lastChoiceMs!).toBeGreaterThan(30);
  });

  it('fails a 200 stream that carried no choices chunk at all, as vLLM does', async () => {
    for (const script of ['usageOnly', 'doneOnly']) {
      const r = await generate(script);
      expect(r.error?.code, script).toBe('YS_ENGINE_NO_CHOICES');
      expect(r.error?.message).toContain(`request parity:${script}`);
      expect(r.error?.message).toContain('stream ended without any choices chunk');
      const agg = new PerformanceAggregator();
      agg.add(r);
      expect(agg.summarize()).toMatchObject({ completed: 0, failed: 1, errors: { YS_ENGINE_NO_CHOICES: 1 } });
    }
  });

  it('judges the TTFT SLO of a reply without content on its first choices chunk, not as 0 ms', async () => {
    const r = await generate('emptyFinish');
    expect(r.error).toBeUndefined();
    expect(r.timing.firstTokenMs).toBeUndefined();
    // The finish chunk at 80 ms is vLLM's first token.
    expect(r.timing.firstChoiceMs).toBeGreaterThan(70);
    expect(r.timing.lastChoiceMs).toBe(r.timing.firstChoiceMs);
    const judged = (ttft: number) => {
      const agg = new PerformanceAggregator({ slo: { ttft } });
      agg.add(r);
      return agg.summarize();
    };
    expect(judged(50).goodput).toBe(0);
    expect(judged(5_000).goodput).toBe(judged(5_000).request_throughput);
    // Only the SLO looks at it: the TTFT distribution keeps content-based TTFTs only.
    expect(judged(50).ttft_ms.mean).toBe(0);
    // The vLLM export's ttft for it is vLLM's.
    expect(vllmRequestDetail(r).ttfts).toBeCloseTo(r.timing.firstChoiceMs! / 1000, 6);
  });
});

describe('a generate hook timeout on a stalled stream', () => {
  it('records the failure with the real send time and the chunks and text that came before the stall', async () => {
    const { engine } = clientEngine(baseUrl, { connections: 1 });
    const samples: Sample[] = [{ id: '0', task: 'serving', prompt: 'stall' }];
    const { run } = await createTestKernel({ engine, samples: { serving: samples }, config: { timeouts: { generate: 300 } } });
    const { records } = await run();
    const r = records[0]!.result;
    expect(r.error?.code).toBe('YS_HOOK_TIMEOUT');
    expect(r.error!.message).toMatch(/request serving:0 to .*did not finish within 300 ms/);
    expect(r.text).toBe('a b c ');
    expect(r.timing.chunksMs).toHaveLength(3);
    expect(r.timing.firstTokenMs).toBeGreaterThanOrEqual(15);
    // Timed from the real send (a bare error stamped at the timeout had doneMs 0 and no chunks).
    expect(r.timing.doneMs).toBeGreaterThanOrEqual(290);
  });
});

describe('summary.performance when every request failed', () => {
  it('is still there, with completed 0, the failures and their reasons, and zero throughputs', async () => {
    const { engine } = clientEngine(baseUrl, { connections: 2 });
    const samples: Sample[] = Array.from({ length: 8 }, (_, i) => ({ id: String(i), task: 'serving', prompt: 'http500', metadata: { input_tokens: 10 } }));
    const before = http500;
    const { run } = await createTestKernel({ engine, samples: { serving: samples }, config: { concurrency: 2 } });
    const { summary } = await run();
    expect(http500 - before).toBe(8);
    const expected = {
      completed: 0,
      failed: 8,
      errors: { YS_ENGINE_HTTP_STATUS: 8 },
      request_throughput: 0,
      output_throughput: 0,
      total_token_throughput: 0,
      goodput: 0,
      // vLLM sums input tokens over successful requests only.
      total_input_tokens: 0,
      total_output_tokens: 0,
    };
    expect(summary.benchmarks.serving!.performance).toMatchObject(expected);
    expect(summary.performance).toMatchObject(expected);
    expect(summary.performance!.error_examples).toEqual({ YS_ENGINE_HTTP_STATUS: expect.stringMatching(/HTTP 500/) });
    expect(summary.performance!.duration_s).toBeGreaterThan(0);
    // And the run says so, as vLLM warns: nothing was measured.
    expect(summary.warnings).toContain('serving: all 8 requests failed (YS_ENGINE_HTTP_STATUS ×8): nothing was measured; see error_examples');
  });
});
