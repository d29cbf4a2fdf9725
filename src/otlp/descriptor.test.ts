import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import descriptor from './proto/descriptor.json' with { type: 'json' };

const PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), 'proto');

describe('the OTLP descriptor', () => {
  it('is what the vendored official .proto files define (run scripts/otlp-descriptor.mjs after updating them)', () => {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
    root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto', { keepCase: false });
    expect(JSON.parse(JSON.stringify(root.toJSON()))).toEqual(descriptor);
  });
});
