import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAICompatibleClient } from '../src/index.js';

/** A server that starts every stream and then never finishes it, unless the prompt is "finish". */
function hangingServer(): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, text: 'x', finish_reason: null }] })}\n\n`);
      if ((JSON.parse(body) as { prompt?: string }).prompt === 'finish') {
        res.end(`data: ${JSON.stringify({ choices: [{ index: 0, text: '', finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
      }
    });
  });
}

describe('one run signal aborting many requests in flight', () => {
  const server = hangingServer();
  let client: OpenAICompatibleClient;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    client = new OpenAICompatibleClient({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, model: 'm', connections: 16 });
  });
  afterAll(async () => {
    await client.destroy();
    server.closeAllConnections();
    server.close();
  });

  it('rejects every one of them with YS_ENGINE_ABORTED, promptly', async () => {
    const controller = new AbortController();
    const params = { maxTokens: 8, temperature: 0 };
    const pending = Array.from({ length: 12 }, (_, i) =>
      client.generate({ requestId: `r${i}`, benchmark: 'b', sampleId: String(i), kind: 'completion', prompt: 'p', params }, controller.signal).then(
        () => 'resolved',
        (e: { code?: string }) => e.code,
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    controller.abort();
    expect(await Promise.all(pending)).toEqual(Array(12).fill('YS_ENGINE_ABORTED'));
    expect(performance.now() - t0).toBeLessThan(1000);
    // A later request on a fresh signal still works normally (it streams, then we abort it too).
    const next = new AbortController();
    const p = client.generate({ requestId: 'after', benchmark: 'b', sampleId: 'x', kind: 'completion', prompt: 'p', params }, next.signal).catch((e: { code?: string }) => e.code);
    setTimeout(() => next.abort(), 100);
    expect(await p).toBe('YS_ENGINE_ABORTED');
  });

  it('aborts only the requests still in flight when others finished first, in any order', async () => {
    const controller = new AbortController();
    const params = { maxTokens: 8, temperature: 0 };
    // Finished requests leave the in-flight list from its head, middle and tail; the abort must
    // still reach every hanging one and nothing else.
    const prompts = ['finish', 'hang', 'finish', 'finish', 'hang', 'hang', 'finish', 'hang', 'finish'];
    const pending = prompts.map((prompt, i) =>
      client.generate({ requestId: `m${i}`, benchmark: 'b', sampleId: String(i), kind: 'completion', prompt, params }, controller.signal).then(
        (r) => (r.error ? r.error.code : 'completed'),
        (e: { code?: string }) => e.code,
      ),
    );
    await Promise.all(pending.filter((_, i) => prompts[i] === 'finish'));
    controller.abort();
    expect(await Promise.all(pending)).toEqual(prompts.map((p) => (p === 'finish' ? 'completed' : 'YS_ENGINE_ABORTED')));
  });
});
