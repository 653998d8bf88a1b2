/**
 * The request authenticator handed to `buildApp`: turns `Authorization: Bearer <session>`
 * or `x-api-key: pk_…` into a Principal, one indexed lookup of the credential's HMAC (and for
 * a key, at most once a minute, an update of its "last used" time).
 * No credential = anonymous (routes decide whether that is enough); a credential that is
 * malformed, unknown, expired or revoked is a 401 `auth.required`, never silently anonymous.
 * A staff member who must change the password reaches only the password, me and logout routes.
 */
import type { FastifyRequest } from 'fastify';
import type { Queryable } from '../db/database.ts';
import type { Keyring } from '../privacy/keyring.ts';
import { DomainError } from '../errors/errors.ts';
import type { Principal } from './principal.ts';
import { apiKeyPattern, apiKeyUseResolutionMs, routesOpenDuringPasswordChange, sessionTokenPattern } from './staff.ts';
import { findSessionStaff } from './staff.repository.ts';
import { findActiveApiKeyByHash, touchApiKey } from './api-key.repository.ts';

export interface AuthenticatorDeps {
  db: Queryable;
  keyring: Keyring;
  clock: () => Date;
}

export type Authenticator = (req: FastifyRequest) => Promise<Principal | undefined>;

type Headers = FastifyRequest['headers'];

/** The credential in the headers, or undefined when there is none. */
export function credentialOf(headers: Headers): { kind: 'bearer' | 'api_key'; secret: string } | undefined {
  const authorization = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (authorization !== undefined && apiKey !== undefined) throw new DomainError('auth.required', 'Send either a bearer token or an API key, not both.');
  if (authorization !== undefined) {
    const m = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!m || !sessionTokenPattern.test(m[1]!)) throw new DomainError('auth.required', 'Expected Authorization: Bearer <session token>.');
    return { kind: 'bearer', secret: m[1]! };
  }
  if (apiKey !== undefined) {
    if (typeof apiKey !== 'string' || !apiKeyPattern.test(apiKey.trim())) throw new DomainError('auth.required', 'The API key is not valid.');
    return { kind: 'api_key', secret: apiKey.trim() };
  }
  return undefined;
}

/** Resolves headers to a principal without the password-change gate (for non-HTTP callers). */
export async function resolvePrincipal(deps: AuthenticatorDeps, headers: Headers): Promise<Principal | undefined> {
  const credential = credentialOf(headers);
  if (!credential) return undefined;
  const hash = deps.keyring.tokenHmac(credential.secret);
  if (credential.kind === 'bearer') {
    const s = await findSessionStaff(deps.db, hash, deps.clock());
    if (!s) throw new DomainError('auth.required', 'The session is unknown or has expired; log in again.');
    return {
      kind: 'staff', staffId: s.id, role: s.role, tenantId: s.tenant_id, storeId: s.store_id,
      sessionId: hash.toString('hex'), mustChangePassword: s.must_change_password,
    };
  }
  const k = await findActiveApiKeyByHash(deps.db, hash);
  if (!k) throw new DomainError('auth.required', 'The API key is unknown or revoked.');
  // "last used" for the console, to the minute: a write only when the recorded use is older
  const now = deps.clock();
  if (k.lastUsedAt === null || now.getTime() - k.lastUsedAt.getTime() >= apiKeyUseResolutionMs) await touchApiKey(deps.db, k.id, now, apiKeyUseResolutionMs);
  return { kind: 'api_key', keyId: k.id, tenantId: k.tenantId, scopes: k.scopes, rateLimitPerMinute: k.rateLimitPerMinute };
}

export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  return async (req) => {
    const principal = await resolvePrincipal(deps, req.headers);
    if (principal?.kind === 'staff' && principal.mustChangePassword
      && !routesOpenDuringPasswordChange.has(`${req.method} ${req.routeOptions.url ?? ''}`)) {
      throw new DomainError('auth.password_change_required');
    }
    return principal;
  };
}
