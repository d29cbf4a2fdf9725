const KEY_STORAGE = 'tripmeter.adminKey';

/** The admin key of this browser session (sessionStorage: gone when the tab closes). */
export const adminKey = {
  get: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  set: (key: string) => sessionStorage.setItem(KEY_STORAGE, key),
  clear: () => sessionStorage.removeItem(KEY_STORAGE),
};

/** A refused request: `status` 401 means the key is wrong; 404 that the route does not exist. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * GETs a JSON route of the service with the admin key in the `Authorization` header (never in
 * the URL).
 */
export async function getJson<T>(path: string, params: URLSearchParams): Promise<T> {
  const key = adminKey.get();
  const query = params.toString();
  const res = await fetch(query ? `${path}?${query}` : path, {
    headers: { Authorization: `Bearer ${key ?? ''}`, Accept: 'application/json' },
    credentials: 'omit',
    cache: 'no-store',
  });
  if (!res.ok) {
    let detail = res.statusText;
    try {
      detail = ((await res.json()) as { detail?: string }).detail ?? detail;
    } catch {
      // not a problem document
    }
    throw new ApiError(res.status, detail);
  }
  return (await res.json()) as T;
}
