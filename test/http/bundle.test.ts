import { describe, expect, it } from 'vitest';
import { bundleHttpClient, NODE_BUILTINS } from './bundle-http.js';

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
});
