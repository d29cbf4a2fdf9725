import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Section {
  title: string;
  rows: string[][];
}

function print(section: Section) {
  console.log(`\n### ${section.title}\n`);
  console.log('| case | result | ratio |\n| --- | --- | --- |');
  for (const row of section.rows) console.log(`| ${row.join(' | ')} |`);
}

const only = process.argv.slice(2);
/** Each section's module is loaded only when it runs (a section runs in a process of its own). */
const benches: [string, () => Promise<Section>][] = [
  ['writer', async () => (await import('./writer.js')).benchWriter()],
  ['hot-path', async () => (await import('./hot-path.js')).benchHotPath()],
  ['anatomy', async () => (await import('./anatomy.js')).default()],
  ['http', async () => (await import('./http-ingest.js')).default()],
  ['otlp', async () => (await import('./otlp-ingest.js')).default()],
  ['retention', async () => (await import('./retention.js')).default()],
  ['linkage', async () => (await import('./linkage.js')).default()],
  ['metrics', async () => (await import('./metrics.js')).default()],
  ['generation-metrics', async () => (await import('./generation-metrics.js')).default()],
  ['soak', async () => (await import('./soak.js')).default()],
  ['notes-recall', async () => (await import('./notes-recall.js')).default()],
];

const header = `tripmeter benchmarks, ${new Date().toISOString()}, Node ${process.version}; ratios compare cases of the same run.`;
if (only.length === 0) {
  // Each section in its own process, so one section's heap and timers cannot colour the next.
  console.log(header);
  for (const [name] of benches) {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), name, '--quiet'],
      {
        stdio: 'inherit',
      },
    );
    if (child.status !== 0) process.exitCode = 1;
  }
} else {
  if (!only.includes('--quiet')) console.log(header);
  for (const [name, run] of benches) {
    if (!only.includes(name)) continue;
    try {
      print(await run());
    } catch (error) {
      console.log(`\n### ${name}: FAILED: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
}
