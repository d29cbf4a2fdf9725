import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** Budget for `tripmeter/client`, minified and gzipped. */
const MAX_GZIP_BYTES = 3072;

describe('client bundle', () => {
  it('stays within 3 KiB min+gzip and imports nothing', async () => {
    const result = await build({
      entryPoints: ['src/client/index.ts'],
      platform: 'browser',
      format: 'esm',
      minify: true,
      bundle: true,
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    const gzipped = gzipSync(code).byteLength;
    console.log(`tripmeter/client: ${code.length} bytes minified, ${gzipped} bytes min+gzip`);
    expect(gzipped).toBeLessThanOrEqual(MAX_GZIP_BYTES);
    expect(code).not.toMatch(/\bimport\s*[\s{*"'(]|\brequire\s*\(|node:/);
    expect(result.metafile).toBeUndefined();
  });
});
