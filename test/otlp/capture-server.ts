import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeExportResponse, otlpFormatOf } from '../../src/otlp/index.js';

/** One request an exporter sent, as it arrived on the wire. */
export interface CapturedExport {
  path: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

/**
 * A local OTLP/HTTP receiver on 127.0.0.1 that keeps each raw body and its headers and answers an
 * empty `ExportTraceServiceResponse` in the request's format, so real exporters see a success.
 */
export async function startCaptureServer(): Promise<{
  url: string;
  captured: CapturedExport[];
  close: () => Promise<void>;
}> {
  const captured: CapturedExport[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    captured.push({ path: req.url ?? '', headers: req.headers, body: new Uint8Array(Buffer.concat(chunks)) });
    const answer = encodeExportResponse(otlpFormatOf(req.headers['content-type']) ?? 'json');
    res.writeHead(200, { 'content-type': answer.contentType }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    captured,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
