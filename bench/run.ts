import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchHotPath } from './hot-path.js';
import { benchWriter } from './writer.js';

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
const benches: [string, () => Promise<Section>][] = [
  ['writer', () => benchWriter()],
  ['hot-path', () => benchHotPath()],
];
const optional: [string, string][] = [
  ['http', './http-ingest.js'],
  ['retention', './retention.js'],
  ['linkage', './linkage.js'],
  ['metrics', './metrics.js'],
  ['soak', './soak.js'],
];
for (const [name, path] of optional) {
  benches.push([
    name,
    async () => {
      const module = (await import(path)) as { default: () => Promise<Section> };
      return module.default();
    },
  ]);
}

const header = `tripmeter benchmarks, ${new Date().toISOString()}, Node ${process.version}; ratios compare cases of the same run.`;
if (only.length === 0) {
  // Each section in its own process, so one section's heap and timers cannot colour the next.
  console.log(header);
  for (const [name] of benches) {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), name, '--quiet'],
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
      if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') continue;
      console.log(`\n### ${name}: FAILED: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
}
