/**
 * The web apps' client of the Portrait HTTP API: JSON in and out, the staff token as a bearer
 * header, `application/problem+json` answers turned into an ApiError with the problem's stable
 * code (the last part of its `type`). Uploads can report their progress (XHR, which fetch cannot).
 */

export interface Problem { type: string; title: string; status: number; detail?: string; [extra: string]: unknown }

export class ApiError extends Error {
  /** The problem's code (`auth.invalid_credentials`), or `network` when the server could not be reached. */
  readonly code: string;
  readonly status: number;
  readonly problem: Problem | undefined;
  constructor(code: string, status: number, problem?: Problem) {
    super(problem?.detail ?? problem?.title ?? code);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.problem = problem;
  }
}

const PROBLEM_BASE = 'https://portrait.dev/problems/';

export interface RequestOptions {
  /** Idempotency-Key header (workflow steps). */
  idempotencyKey?: string;
  /** Upload progress, 0-1 (sent with XHR). */
  onUploadProgress?: (fraction: number) => void;
  /** A bearer token for this request instead of the session's (a login the app then refuses is logged out with it). */
  token?: string;
  /** Send a string body as it is, with this content type (a CSV import), instead of as JSON. */
  contentType?: string;
}

export interface Api {
  request<T>(method: string, path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  /** GET a file (a CSV export) as a Blob; a problem answer throws an ApiError as `request` does. */
  download(path: string): Promise<Blob>;
}

function toError(status: number, text: string): ApiError {
  let problem: Problem | undefined;
  try { problem = JSON.parse(text) as Problem; } catch { /* not JSON: a proxy's page */ }
  const code = problem?.type?.startsWith(PROBLEM_BASE) ? problem.type.slice(PROBLEM_BASE.length) : `http_${status}`;
  return new ApiError(code, status, problem);
}

function encode(body: unknown, o: RequestOptions): string | null {
  if (body === undefined) return null;
  return o.contentType && typeof body === 'string' ? body : JSON.stringify(body);
}

function parse<T>(status: number, text: string): T {
  if (status >= 400) throw toError(status, text);
  return (text ? JSON.parse(text) : null) as T;
}

export function createApi(opts: { token: () => string | undefined; onUnauthorized?: (e: ApiError) => void }): Api {
  function headers(body: unknown, o: RequestOptions): Record<string, string> {
    const out: Record<string, string> = { accept: 'application/json' };
    const token = o.token ?? opts.token();
    if (token) out.authorization = `Bearer ${token}`;
    if (body !== undefined) out['content-type'] = o.contentType ?? 'application/json';
    if (o.idempotencyKey) out['idempotency-key'] = o.idempotencyKey;
    return out;
  }

  function viaXhr(method: string, path: string, body: unknown, o: RequestOptions): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, path);
      for (const [k, v] of Object.entries(headers(body, o))) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) o.onUploadProgress?.(e.loaded / e.total); };
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
      xhr.onerror = () => reject(new ApiError('network', 0));
      xhr.send(encode(body, o));
    });
  }

  async function viaFetch(method: string, path: string, body: unknown, o: RequestOptions): Promise<{ status: number; text: string }> {
    let res: Response;
    try {
      res = await fetch(path, { method, headers: headers(body, o), body: encode(body, o) });
    } catch {
      throw new ApiError('network', 0);
    }
    return { status: res.status, text: await res.text() };
  }

  return {
    async download(path) {
      let res: Response;
      try {
        res = await fetch(path, { headers: headers(undefined, {}) });
      } catch {
        throw new ApiError('network', 0);
      }
      if (res.ok) return res.blob();
      const e = toError(res.status, await res.text());
      if (res.status === 401) opts.onUnauthorized?.(e);
      throw e;
    },
    async request<T>(method: string, path: string, body?: unknown, o: RequestOptions = {}): Promise<T> {
      const { status, text } = o.onUploadProgress ? await viaXhr(method, path, body, o) : await viaFetch(method, path, body, o);
      try {
        return parse<T>(status, text);
      } catch (e) {
        if (e instanceof ApiError && status === 401) opts.onUnauthorized?.(e);
        throw e;
      }
    },
  };
}

/** A fresh Idempotency-Key for one workflow step. */
export function idempotencyKey(step: string): string {
  return `${step}-${crypto.randomUUID()}`;
}
