import { describe, expect, it } from 'vitest';
import { resolveLlamaServer } from '../src/binary.js';

describe('resolveLlamaServer', () => {
  it('a serverBinary that is not there is a config error (exit 2, fix the config), not an engine start failure a --resume would replay', () => {
    for (const option of ['/nonexistent/bin/llama-server', 'no-such-llama-server-anywhere']) {
      let code: unknown;
      try {
        resolveLlamaServer(option, '/');
      } catch (e) {
        code = (e as { code?: unknown }).code;
      }
      expect(code, option).toBe('YS_CONFIG_INVALID');
    }
  });
});
