import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The house rules of docs/architecture.md, checked on the source itself: folders import one way
 * (no cycle between folders), through each other's `index.ts`, and the platform-neutral parts
 * (browser client, tracker core, edge entry) import nothing that touches Node or a database.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Second public faces, for code that must not pull the first one's dependencies. */
const EXTRA_FACES = new Set([
  // The Node half of privacy (salts in the database, node:crypto); the index stays neutral.
  'privacy/fingerprint-node.ts',
  // Names (compromise) and special-category terms: server-side redaction, kept out of the edge.
  'privacy/redact-personal.ts',
]);

/**
 * Entries that run in browsers and edge runtimes: nothing they reach, however indirectly, may
 * import a Node built-in, a database driver, the logger or the web framework.
 */
const NEUTRAL_ENTRIES = ['client/index.ts', 'session-header/index.ts', 'tracker/index.ts', 'http/index.ts'];
const SERVER_ONLY = /^(node:|pg$|pg-copy-streams$|kysely|@electric-sql\/|pino$|hono$|@hono\/)/;
/**
 * Entries an edge function or a browser bundles, and what they must not reach besides: zod (450
 * KB of `tripmeter/http`'s 483 KB before the snapshot rules became plain functions) and the NLP
 * library that finds names in notes (server-side only).
 */
const EDGE_ENTRIES = ['tracker/index.ts', 'http/index.ts', 'client/index.ts'];
const EDGE_HEAVY = /^(zod|compromise)(\/|$)/;

interface Import {
  from: string;
  specifier: string;
  /** The imported file, relative to src, when the specifier is relative. */
  target?: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== '__fixtures__') sourceFiles(path, out);
    } else if (/\.ts$/.test(name) && !/\.test(-d)?\.ts$/.test(name)) out.push(path);
  }
  return out;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const from = relative(SRC, file).split(sep).join('/');
  const found: Import[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = (match[1] ?? match[2] ?? match[3])!;
    const target = specifier.startsWith('.')
      ? relative(SRC, resolve(dirname(file), specifier))
          .split(sep)
          .join('/')
          .replace(/\.js$/, '.ts')
      : undefined;
    found.push({ from, specifier, target });
  }
  return found;
}

const folderOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : '(root)');
const all = sourceFiles(SRC).flatMap(importsOf);
const crossFolder = all.filter((i) => i.target !== undefined && folderOf(i.target) !== folderOf(i.from));

/** The folder graph: folder → folders it imports. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const i of crossFolder) {
    const edges = graph.get(folderOf(i.from)) ?? new Set<string>();
    edges.add(folderOf(i.target!));
    graph.set(folderOf(i.from), edges);
  }
  return graph;
}

/** A cycle of the graph as a path `a → b → a`, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the house: folders as layers', () => {
  it('reads imports (the check would pass vacuously on an empty scan)', () => {
    expect(crossFolder.length).toBeGreaterThan(50);
    expect(all.some((i) => i.from === 'server/app.ts' && i.target === 'web/index.ts')).toBe(true);
  });

  it('finds a cycle where there is one (the detector itself)', () => {
    const graph = new Map([
      ['server', new Set(['demo'])],
      ['demo', new Set(['client-events'])],
      ['client-events', new Set(['server'])],
    ]);
    expect(findCycle(graph)).toEqual(['server', 'demo', 'client-events', 'server']);
    expect(findCycle(new Map([['a', new Set(['b'])]]))).toBeUndefined();
  });

  it('has no import cycle between folders', () => {
    expect(findCycle(folderGraph())).toBeUndefined();
  });

  it('imports another folder only through its index.ts (its public face)', () => {
    const past = crossFolder
      .filter((i) => !i.target!.endsWith('/index.ts') && !EXTRA_FACES.has(i.target!))
      .map((i) => `${i.from} → ${i.specifier}`);
    expect(past).toEqual([]);
  });

  it('keeps the browser client, the tracker core and the edge entry free of Node and drivers', () => {
    for (const entry of NEUTRAL_ENTRIES) {
      const wrong = reachedImports(entry, SERVER_ONLY);
      expect(wrong, `reached from ${entry}`).toEqual([]);
    }
  });

  it('keeps zod and compromise out of the tracker core, the edge entry and the browser client', () => {
    // The check itself: ingest does reach both.
    expect(reachedImports('ingest/index.ts', EDGE_HEAVY)).toEqual(
      expect.arrayContaining([expect.stringContaining('zod'), expect.stringContaining('compromise')]),
    );
    for (const entry of EDGE_ENTRIES) expect(reachedImports(entry, EDGE_HEAVY), entry).toEqual([]);
  });
});

/** The package imports matching `pattern` reachable from `entry` through our own files. */
function reachedImports(entry: string, pattern: RegExp): string[] {
  const byFile = new Map<string, Import[]>();
  for (const i of all) byFile.set(i.from, [...(byFile.get(i.from) ?? []), i]);
  const seen = new Set<string>();
  const wrong: string[] = [];
  const reach = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of byFile.get(file) ?? []) {
      if (i.target !== undefined) reach(i.target);
      else if (pattern.test(i.specifier)) wrong.push(`${i.from} → ${i.specifier}`);
    }
  };
  reach(entry);
  expect(seen.size, entry).toBeGreaterThan(1);
  return wrong;
}
