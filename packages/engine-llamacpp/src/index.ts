import { isAbsolute, resolve } from 'node:path';
import { asValue } from 'awilix';
import { definePlugin, modelFamiliesOf, poolSizeFor, type Engine } from '@yardstick/core';
import { InProcessLlamaEngine } from './in-process.js';
import { llamacppOptionsSchema } from './schema.js';
import { LlamaServerEngine } from './server-engine.js';

export { InProcessLlamaEngine, toChatHistory } from './in-process.js';
export { LlamaServerEngine, binaryVersion } from './server-engine.js';
export { buildServerArgs, LLAMA_SERVER_FLAG_ALIASES } from './server-args.js';
export { resolveLlamaServer } from './binary.js';
// The build cache's lookup moved to core (scorer-embedding-similarity launches llama-server too); still exported here.
export { cachedLlamaServer, llamaServerCacheRoot } from '@yardstick/core';
export { llamacppOptionsSchema, resolveLlamacppOptions, type LlamacppOptions, type LlamacppOptionsInput, type ResolvedLlamacppOptions } from './schema.js';

/** The largest concurrency the run asks for: parallel slots / sequences default to it. */
function runConcurrency(config: Readonly<Record<string, unknown>>): number {
  let n = typeof config.concurrency === 'number' ? config.concurrency : 1;
  const load = config.load as { concurrency?: unknown; sweep?: { concurrency?: unknown } } | undefined;
  if (typeof load?.concurrency === 'number') n = Math.max(n, load.concurrency);
  if (Array.isArray(load?.sweep?.concurrency)) for (const c of load.sweep.concurrency) if (typeof c === 'number') n = Math.max(n, c);
  return n;
}

const plugin = definePlugin({
  name: 'engine-llamacpp',
  version: '0.1.0',
  kind: 'engine',
  core: '^0.1.0',
  description: 'llama.cpp: in-process through node-llama-cpp (default), or llama-server launched from typed options / attached by baseUrl',
  configSchema: llamacppOptionsSchema,
  register({ container, options, logger, config }) {
    const baseDir = typeof config.baseDir === 'string' ? config.baseDir : process.cwd();
    const modelPath = options.model === undefined ? undefined : isAbsolute(options.model) ? options.model : resolve(baseDir, options.model);
    const parallel = runConcurrency(config);
    let engine: Engine;
    if (options.mode === 'in-process') {
      engine = new InProcessLlamaEngine(options, { logger, modelPath: modelPath!, parallel });
    } else {
      engine = new LlamaServerEngine(options, {
        logger,
        modelPath,
        baseDir,
        parallel,
        connections: poolSizeFor(config),
        // Looked up at start: model-* plugins may register their families after this plugin.
        families: modelFamiliesOf(container),
      });
    }
    // The kernel starts it in setup, sends every request to it and stops it in teardown.
    container.register({ engine: asValue(engine) });
  },
});

export default plugin;
