import type { Engine, OpenAICompatibleClient, Plugin } from '../../packages/core/src/index.js';
import { clientEngine, enginePlugin } from '../../packages/core/src/testing/index.js';

/**
 * A minimal attach-mode engine over core's shared OpenAI client, as a plugin: what an engine plugin
 * in attach mode does on the request path (the bench measures that path, not engine start-up).
 */
export function attachEngine(baseUrl: string, connections: number): { plugin: Plugin; engine: Engine; client: OpenAICompatibleClient } {
  const { engine, client } = clientEngine(baseUrl, { connections, name: 'attach', tokenizer: true });
  return { plugin: enginePlugin(engine, 'engine-attach-bench'), engine, client };
}
