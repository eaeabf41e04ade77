import { isAbsolute, resolve } from 'node:path';
import { cachedLlamaServer, ERROR_CODES, findExecutable, isExecutableFile, llamaServerCacheRoot, YardstickError } from '@yardstick/core';

export interface ResolvedBinary {
  path: string;
  /** How it was found (logged, and in describe()). */
  source: 'option' | 'env' | 'path' | 'cache';
}

/**
 * Finds llama-server (a `serverBinary` that is not there is a config error, exit 2: a --resume would
 * replay it): the `serverBinary` option (a path relative to the config folder, or a name on
 * PATH), then $YARDSTICK_LLAMA_SERVER, then `llama-server` on PATH, then the cached build. Never
 * builds at run time: building takes minutes, so the error says how to do it once.
 */
export function resolveLlamaServer(option: string | undefined, baseDir: string): ResolvedBinary {
  if (option) {
    if (option.includes('/')) {
      const path = isAbsolute(option) ? option : resolve(baseDir, option);
      if (!isExecutableFile(path)) {
        throw new YardstickError(ERROR_CODES.CONFIG_INVALID, `engine-llamacpp: serverBinary ${path} is not an executable file`, {
          hint: 'fix `serverBinary`, or remove it to use $YARDSTICK_LLAMA_SERVER / PATH / the cached build',
        });
      }
      return { path, source: 'option' };
    }
    const found = findExecutable(option);
    if (!found) throw new YardstickError(ERROR_CODES.CONFIG_INVALID, `engine-llamacpp: serverBinary "${option}" is not on PATH`, { hint: 'give a path, or install it' });
    return { path: found, source: 'option' };
  }
  const env = process.env.YARDSTICK_LLAMA_SERVER;
  if (env) {
    if (!isExecutableFile(env)) throw new YardstickError(ERROR_CODES.ENGINE_START_FAILED, `engine-llamacpp: $YARDSTICK_LLAMA_SERVER=${env} is not an executable file`);
    return { path: env, source: 'env' };
  }
  const fromPath = findExecutable('llama-server');
  if (fromPath) return { path: fromPath, source: 'path' };
  const cached = cachedLlamaServer();
  if (cached) return { path: cached, source: 'cache' };
  throw new YardstickError(ERROR_CODES.ENGINE_START_FAILED, 'engine-llamacpp: no llama-server found', {
    hint:
      'build it once with `pnpm build:llama-server` (bash scripts/build-llama-server.sh, ~5-9 min on 2 cores; cached under ' +
      `${llamaServerCacheRoot()}), or set \`serverBinary\` / $YARDSTICK_LLAMA_SERVER, or put llama-server on PATH`,
  });
}
