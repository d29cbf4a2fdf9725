import { describe, expect, it } from 'vitest';
import { encodeExportResponse, partialSuccessOf } from './index.js';
import { ExportTraceServiceResponse } from './proto-root.js';

describe('encodeExportResponse', () => {
  it('answers full success with an empty message in both formats', () => {
    expect(encodeExportResponse('protobuf').body).toHaveLength(0);
    const json = encodeExportResponse('json');
    expect(json.contentType).toBe('application/json');
    expect(new TextDecoder().decode(json.body)).toBe('{}');
  });

  it('carries partial_success, decodable by the official message type', () => {
    const partial = partialSuccessOf({ spans: 3, reasons: { too_many_attributes: 2, invalid_ids: 1 } });
    expect(partial).toEqual({
      rejectedSpans: 3,
      errorMessage:
        '3 spans rejected: 2 with more attributes than the per-span limit; 1 with a trace or span id of the wrong length, or all zero',
    });
    const proto = encodeExportResponse('protobuf', partial);
    expect(proto.contentType).toBe('application/x-protobuf');
    const decoded = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(proto.body), {
      longs: Number,
    });
    expect(decoded).toEqual({ partialSuccess: partial });
    const json = JSON.parse(new TextDecoder().decode(encodeExportResponse('json', partial).body));
    expect(json).toEqual({ partialSuccess: { rejectedSpans: '3', errorMessage: partial!.errorMessage } });
    expect(partialSuccessOf({ spans: 0, reasons: {} })).toBeUndefined();
  });
});
