import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isExecutableFile } from './executables.js';

/**
 * Where scripts/build-llama-server.sh caches its llama-server builds (same rules as the script).
 * In core because more than one plugin launches llama-server (engine-llamacpp, and
 * scorer-embedding-similarity for its embedding server), and plugins never import each other.
 */
export function llamaServerCacheRoot(): string {
  const root = process.env.YARDSTICK_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'yardstick');
  return join(root, 'llama-server');
}

/** The most recently built cached llama-server, if any (one folder per llama.cpp commit). */
export function cachedLlamaServer(): string | undefined {
  const root = llamaServerCacheRoot();
  if (!existsSync(root)) return undefined;
  const builds = readdirSync(root)
    .map((commit) => join(root, commit, 'bin', 'llama-server'))
    .filter(isExecutableFile)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return builds[0];
}
