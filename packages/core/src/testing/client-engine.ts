import type { Engine } from '../engine.js';
import { OpenAICompatibleClient } from '../openai/client.js';

export interface ClientEngineOptions {
  /** Connections of the client's pool (the load's concurrency, or more for open loop). */
  connections: number;
  /** The engine's name in `describe()` (default 'stand-in'). */
  name?: string;
  /** Also serve tokenize / detokenize through the server's llama.cpp-style endpoints (default false). */
  tokenizer?: boolean;
}

/**
 * An attach-mode engine over core's shared OpenAI client against `baseUrl` (a stand-in server, or
 * any OpenAI-compatible one): the request path an engine plugin in attach mode takes, without the
 * plugin. Tests and benches that measure that path share it.
 */
export function clientEngine(baseUrl: string, options: ClientEngineOptions): { engine: Engine; client: OpenAICompatibleClient } {
  const client = new OpenAICompatibleClient({ baseUrl, connections: options.connections, tokenizerApi: 'llamacpp' });
  const engine: Engine = {
    specificationVersion: 1,
    start: async () => undefined,
    stop: () => client.close(),
    describe: () => ({ name: options.name ?? 'stand-in', model: 'stand-in', mode: 'attach', launch: baseUrl, baseUrl }),
    generate: (request, signal) => client.generate(request, signal),
  };
  if (options.tokenizer) {
    engine.tokenize = (text, signal) => client.tokenize(text, signal);
    engine.detokenize = (tokens, signal) => client.detokenize(tokens, signal);
  }
  return { engine, client };
}
