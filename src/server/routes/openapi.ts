import type { Hono } from 'hono';
import { openApiDocument } from '../openapi.js';

/** `GET /openapi.json`: the OpenAPI 3.1 document, generated from the routes' zod schemas (no key). */
export function openApiRoute(app: Hono): void {
  app.get('/openapi.json', (c) => c.json(openApiDocument()));
}
