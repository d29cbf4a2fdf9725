import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundleHttpClient, NODE_BUILTINS } from './bundle-http.js';

/**
 * Most bytes `tripmeter/http` may weigh minified and gzipped: an edge function pays for every
 * byte on each cold start. With the full zod it was 104 KB; the tracker itself is a few KB.
 */
const MAX_GZIP_BYTES = 20 * 1024;

describe('tripmeter/http bundle', () => {
  it('builds for platform=neutral with no Node import or builtin anywhere in its graph', async () => {
    const { code, inputs, imports, result } = await bundleHttpClient();
    expect(result.errors).toEqual([]);
    expect(code).toContain('/v1/events');
    // Fully bundled: nothing is imported at run time, so no builtin can be loaded.
    expect(imports).toEqual([]);
    expect(code).not.toMatch(/\bnode:/);
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/\bimport\s*[({]|\bimport\s+["'\w*]/);
    expect(code).not.toMatch(/\bprocess\.(?:env|nextTick|hrtime)|\bBuffer\.(?:from|alloc)/);
    // Every module of the graph is a file; none is a builtin (fs, net, crypto, buffer, …).
    const builtins = new Set([...NODE_BUILTINS, ...NODE_BUILTINS.map((name) => `node:${name}`)]);
    expect(inputs.filter((file) => builtins.has(file))).toEqual([]);
    // Only platform-neutral sources and pure dependencies: no driver, storage or server code.
    const forbidden =
      /src\/(storage|store|server|cli|auth|logging|ingest)\/|node_modules\/(pg|pino|kysely|@electric-sql|hono)\//;
    expect(inputs.filter((file) => forbidden.test(file))).toEqual([]);
    expect(inputs).toContain('src/tracker/tracker.ts');
    expect(inputs).not.toContain('src/store/index.ts');
  });

  it(`weighs at most ${MAX_GZIP_BYTES / 1024} KB minified and gzipped, with no full zod in it`, async () => {
    const { code, inputs } = await bundleHttpClient();
    const gzip = gzipSync(code).length;
    expect(gzip, `${code.length} B minified, ${gzip} B gzipped`).toBeLessThanOrEqual(MAX_GZIP_BYTES);
    // zod/mini's checks are in zod's core; the classic API (methods on every schema) is not.
    expect(inputs.filter((file) => /node_modules\/zod\/v4\/(classic|locales)\//.test(file))).toEqual([]);
  });
});
