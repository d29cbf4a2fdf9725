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

console.log(
  `tripmeter benchmarks, ${new Date().toISOString()}, Node ${process.version}; ratios compare cases of the same run.`,
);
for (const [name, run] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  try {
    print(await run());
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') continue;
    console.log(`\n### ${name}: FAILED: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
