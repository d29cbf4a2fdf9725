import { builtinModules } from 'node:module';
import { type BuildResult, build } from 'esbuild';

/** Node's builtin module names (`fs`, `net`, `crypto`, `buffer`, …), without `node:` and subpaths. */
export const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_') && !name.includes('/'));

/**
 * Bundles `tripmeter/http` for a neutral (non-Node) platform into one ESM file, as an edge
 * runtime would load it. Returns the code, the esbuild result and the inputs it pulled in.
 */
export async function bundleHttpClient(): Promise<{
  code: string;
  inputs: string[];
  /** What the output still imports at run time (esbuild's metafile); empty when fully bundled. */
  imports: string[];
  result: BuildResult;
}> {
  const result = await build({
    entryPoints: ['src/http/index.ts'],
    platform: 'neutral',
    format: 'esm',
    bundle: true,
    mainFields: ['module', 'main'],
    conditions: ['worker', 'browser', 'import'],
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs), imports, result };
}
