// Regenerates src/otlp/proto/descriptor.json from the vendored OTLP .proto files (the official
// definitions of open-telemetry/opentelemetry-proto): the runtime loads this JSON with
// protobufjs/light, so neither the .proto parser nor the .proto files ship in dist.
// Run after updating the vendored files: node scripts/otlp-descriptor.mjs
// src/otlp/descriptor.test.ts fails when the JSON and the .proto files disagree.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../src/otlp/proto');
const ENTRY = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
root.loadSync(ENTRY, { keepCase: false });
const out = join(PROTO_DIR, 'descriptor.json');
writeFileSync(out, `${JSON.stringify(root.toJSON())}\n`);
execFileSync('npx', ['biome', 'format', '--write', out], { stdio: 'inherit' });
