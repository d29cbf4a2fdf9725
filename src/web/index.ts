/**
 * What every HTTP surface needs, on the ground floor: problem+json errors (RFC 9457) with stable
 * codes, request bodies read with a size cap and parsed safely, and query strings read as
 * strictly as bodies. `auth`, `ingest`, `client-events` and `server` import it downward.
 */
export { type BodySource, bodyOf, readBodyBytes, readJsonBody, readSizedJsonBody } from './json-body.js';
export { type FieldProblem, ProblemError, problemBody, problemResponse, TITLES } from './problem.js';
export { readQuery } from './query-string.js';
