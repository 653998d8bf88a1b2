/** Test support: the HTTP API as a client sends it (JSON, bearer token), against a listening server. */

export type ApiCall = <T>(method: string, url: string, token?: string, body?: unknown) => Promise<{ status: number; json: T }>;

export function apiClient(origin: () => string): ApiCall {
  return async <T>(method: string, url: string, token?: string, body?: unknown) => {
    const res = await fetch(`${origin()}${url}`, {
      method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
  };
}
