/**
 * Staff accounts and partner API keys: types and the pure rules (who may create which
 * account, what a username and an API key look like). No I/O here.
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from '../errors/errors.ts';
import type { Role, StaffPrincipal } from './principal.ts';
import { isUuid } from '../db/ids.ts';

/** A staff account as shown to callers: never the password hash. */
export interface StaffView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  tenantId: string | null;
  storeId: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: Date;
  /** The last successful login, null before the first. */
  lastLoginAt: Date | null;
}

export interface NewStaffInput {
  username: string;
  displayName: string;
  role: Role;
  storeId?: string | null;
  tenantId?: string | null;
}

/** What API keys may be allowed to do. Extend the list, never rename an entry. */
export const apiKeyScopes = ['three_element_check'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export interface ApiKeyView {
  id: string;
  tenantId: string;
  name: string;
  scopes: ApiKeyScope[];
  rateLimitPerMinute: number;
  createdAt: Date;
  revokedAt: Date | null;
  /** The last request authenticated with the key, to the minute (see `apiKeyUseResolutionMs`); null if never used. */
  lastUsedAt: Date | null;
}

export interface NewApiKeyInput {
  name: string;
  scopes: readonly string[];
  rateLimitPerMinute?: number;
}

export const usernamePattern = /^[a-z0-9._-]{3,64}$/;
export const maxDisplayNameLength = 100;
export const maxApiKeyNameLength = 100;
export const maxRateLimitPerMinute = 100_000;
export const defaultRateLimitPerMinute = 60;
/** A key's `last_used_at` is written only when it is older than this: at most one write per key a minute. */
export const apiKeyUseResolutionMs = 60_000;
/** Staff login sessions last this long unless the service is told otherwise. */
export const defaultStaffSessionTtlMinutes = 12 * 60;
/** Lockout: this many failed logins for one username within the window refuse further logins. */
export const lockoutThreshold = 5;
export const lockoutWindowMinutes = 15;


/** Usernames are compared in lower case without surrounding spaces. */
export function normalizeUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Roles an operator admin may hand out. Regulators and a tenant's first admin come from system code. */
export const rolesCreatableByAdmin: readonly Role[] = ['agent', 'store_manager', 'operator_admin'];

/** The staff row's shape rules (mirrors the table's CHECKs, as typed errors). */
export function validateNewStaff(input: NewStaffInput): { username: string; displayName: string; role: Role; tenantId: string | null; storeId: string | null } {
  const username = normalizeUsername(input.username);
  if (!usernamePattern.test(username)) {
    throw new DomainError('request.invalid', 'A username is 3-64 characters: lower-case letters, digits, ".", "_" or "-".');
  }
  const displayName = input.displayName.trim();
  if (displayName.length === 0 || displayName.length > maxDisplayNameLength) {
    throw new DomainError('request.invalid', `A display name is 1-${maxDisplayNameLength} characters.`);
  }
  const tenantId = input.tenantId ?? null;
  const storeId = input.storeId ?? null;
  if (input.role === 'regulator') {
    if (tenantId !== null || storeId !== null) throw new DomainError('request.invalid', 'A regulator belongs to no operator or store.');
  } else if (tenantId === null) {
    throw new DomainError('request.invalid', 'This role belongs to an operator: tenantId is required.');
  }
  const storeBound = input.role === 'agent' || input.role === 'store_manager';
  if (storeBound && storeId === null) throw new DomainError('request.invalid', 'Agents and store managers belong to a store: storeId is required.');
  if (!storeBound && storeId !== null) throw new DomainError('request.invalid', 'Only agents and store managers belong to a store.');
  if (tenantId !== null && !isUuid(tenantId)) throw new DomainError('tenant.not_found');
  if (storeId !== null && !isUuid(storeId)) throw new DomainError('store.not_found');
  return { username, displayName, role: input.role, tenantId, storeId };
}

/** An operator admin creates agents, store managers and admins, in its own tenant only. */
export function assertMayCreateStaff(p: StaffPrincipal, role: Role, tenantId: string | null): void {
  if (p.role !== 'operator_admin' || p.tenantId === null) throw new DomainError('auth.forbidden');
  if (!rolesCreatableByAdmin.includes(role)) throw new DomainError('auth.forbidden', 'This role is created by the system administrator only.');
  if (tenantId !== p.tenantId) throw new DomainError('auth.forbidden');
}

export function validateNewApiKey(input: NewApiKeyInput): { name: string; scopes: ApiKeyScope[]; rateLimitPerMinute: number } {
  const name = input.name.trim();
  if (name.length === 0 || name.length > maxApiKeyNameLength) {
    throw new DomainError('request.invalid', `An API key name is 1-${maxApiKeyNameLength} characters.`);
  }
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw new DomainError('request.invalid', 'An API key needs at least one scope.');
  for (const s of scopes) {
    if (!(apiKeyScopes as readonly string[]).includes(s)) throw new DomainError('request.invalid', `Unknown scope; known scopes: ${apiKeyScopes.join(', ')}.`);
  }
  const rate = input.rateLimitPerMinute ?? defaultRateLimitPerMinute;
  if (!Number.isInteger(rate) || rate < 1 || rate > maxRateLimitPerMinute) {
    throw new DomainError('request.invalid', `rateLimitPerMinute is an integer from 1 to ${maxRateLimitPerMinute}.`);
  }
  return { name, scopes: scopes as ApiKeyScope[], rateLimitPerMinute: rate };
}

/** A secret bearer token: 32 random bytes, base64url (43 characters). Only its HMAC is stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export const apiKeyPrefix = 'pk_';

/** A partner API key: `pk_` + 32 random bytes base64url. Shown once; only its HMAC is stored. */
export function newApiKey(): string {
  return `${apiKeyPrefix}${randomBytes(32).toString('base64url')}`;
}

export const sessionTokenPattern = /^[A-Za-z0-9_-]{43}$/;
export const apiKeyPattern = /^pk_[A-Za-z0-9_-]{43}$/;

/** The auth endpoints; the last three stay open to a staff member who must change the password. */
export const authPaths = {
  login: '/v1/auth/login',
  logout: '/v1/auth/logout',
  password: '/v1/auth/password',
  me: '/v1/auth/me',
} as const;

export const routesOpenDuringPasswordChange: ReadonlySet<string> = new Set([
  `POST ${authPaths.password}`, `GET ${authPaths.me}`, `HEAD ${authPaths.me}`, `POST ${authPaths.logout}`,
]);
