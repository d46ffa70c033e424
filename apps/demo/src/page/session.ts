/** Login state: the token from POST /api/login, kept in localStorage so every tab of the browser is the same user. */

/** A logged-in user. */
export interface Session {
  readonly token: string;
  readonly expiresAt: number;
  readonly user: { readonly id: string; readonly name: string };
}

const KEY = 'oxidite-demo.session';

/** An API call that failed, with the server's status and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Calls the demo's JSON API; throws ApiError on a non-2xx answer. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  const response = await fetch(path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const json = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!response.ok) throw new ApiError(response.status, json.error?.message ?? `HTTP ${response.status}`);
  return json as T;
}

/** Logs in with a name and saves the session. */
export async function login(name: string): Promise<Session> {
  const session = await api<Session>('/api/login', { body: { name } });
  localStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/**
 * The saved session if the server still accepts its token. A server restarted without
 * DEMO_SECRET signs with a new key, so old tokens answer 401 and the page asks for a name again.
 */
export async function restoreSession(): Promise<Session | undefined> {
  let saved: Session | undefined;
  try {
    saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') ?? undefined;
  } catch {
    saved = undefined;
  }
  if (!saved?.token || saved.expiresAt <= Date.now()) return undefined;
  try {
    await api('/api/me', { token: saved.token });
    return saved;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) forgetSession();
    return error instanceof ApiError && error.status === 401 ? undefined : saved;
  }
}

/** Forgets the saved session. */
export function forgetSession(): void {
  localStorage.removeItem(KEY);
}
