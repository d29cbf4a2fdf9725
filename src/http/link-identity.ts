/** Where `tripmeter serve` is and the ingest key to use. */
export interface HttpIdentifyOptions {
  endpoint: string;
  key: string;
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/** What the service answered: the link outcome and the rows backfilled per table. */
export interface HttpLinkResult {
  outcome: 'linked' | 'already_linked';
  rows_backfilled: Record<string, number>;
}

/** The service refused the link (409 `ANON_ID_ALREADY_LINKED`, 400 `RESERVED_ID`, …). */
export class HttpLinkError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'HttpLinkError';
  }
}

/**
 * Links an anonymous session to a user at login through `POST /v1/identify` (the edge twin of
 * `linkIdentity` in `tripmeter`). Unlike the tracker, this is awaited: the login handshake wants
 * to know the outcome. Throws {@link HttpLinkError} with the problem's `code` when refused.
 *
 * @example
 * await linkIdentity({ endpoint, key }, { anonSessionId: readAnonSessionId(request)!, userId: user.id });
 */
export async function linkIdentity(
  options: HttpIdentifyOptions,
  ids: { anonSessionId: string; userId: string },
): Promise<HttpLinkResult> {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const response = await doFetch(`${options.endpoint.replace(/\/+$/, '')}/v1/identify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.key}` },
    body: JSON.stringify({ anon_session_id: ids.anonSessionId, user_id: ids.userId }),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<HttpLinkResult> & {
    code?: string;
    detail?: string;
  };
  if (!response.ok) {
    throw new HttpLinkError(
      response.status,
      body.code ?? `HTTP_${response.status}`,
      body.detail ?? response.statusText,
    );
  }
  return { outcome: body.outcome ?? 'linked', rows_backfilled: body.rows_backfilled ?? {} };
}
