/**
 * Staff login, logout and password change.
 *
 * Lockout: 5 failed attempts for one username within 15 minutes refuse further attempts
 * (even with the right password) until the oldest of them leaves the window. An attempt
 * first *reserves* a failure row under a per-username advisory lock, then checks the
 * password outside any transaction, and deletes its own row only if it succeeded; so
 * parallel guesses can never exceed the limit and no lock is held during hashing.
 * Unknown usernames are treated exactly like known ones: same failure rows, same hashing
 * work (against a dummy hash), same `auth.invalid_credentials`.
 * `login_failures.username` holds an HMAC of the name, not the name: people type their
 * password into the username field, and that must not sit in a table in clear.
 */
import type { Database } from '../db/database.ts';
import type { Keyring } from '../privacy/keyring.ts';
import { appendAudit, systemActor } from '../audit/audit.ts';
import { DomainError } from '../errors/errors.ts';
import { requireStaff, roles, type Principal, type Role } from './principal.ts';
import { assertPasswordPolicy, dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './password.ts';
import {
  defaultStaffSessionTtlMinutes, lockoutThreshold, lockoutWindowMinutes, newSessionToken, normalizeUsername, usernamePattern,
} from './staff.ts';
import * as repo from './staff.repository.ts';

export interface AuthDeps {
  db: Database;
  keyring: Keyring;
  clock: () => Date;
  /** Lifetime of a staff login session (default 12 hours). */
  sessionTtlMinutes?: number;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  staff: { id: string; username: string; role: Role; tenantId: string | null; storeId: string | null; mustChangePassword: boolean };
}

const MINUTE = 60_000;

/** What `login_failures.username` holds for a (normalised) username. */
export function loginFailureKey(keyring: Keyring, username: string): string {
  return keyring.tokenHmac(`login-failure\u0000${username}`).toString('base64url');
}

export function createAuthService(deps: AuthDeps) {
  const { db, keyring, clock } = deps;
  const ttlMinutes = deps.sessionTtlMinutes ?? defaultStaffSessionTtlMinutes;
  if (!Number.isInteger(ttlMinutes) || ttlMinutes < 1) throw new Error('sessionTtlMinutes must be a positive integer');

  /**
   * Reserves one attempt for `username` (a failure row, removed again on success), or
   * refuses with `auth.locked_out`. Returns the staff row, if any, read under the same lock.
   */
  async function reserveAttempt(username: string, now: Date): Promise<{ failureId: number; staff: repo.StaffRow | undefined }> {
    const attempt = await db.transaction(async (tx) => {
      const key = loginFailureKey(keyring, username);
      await repo.lockUsername(tx, key);
      const failures = await repo.recentFailures(tx, key, new Date(now.getTime() - lockoutWindowMinutes * MINUTE), lockoutThreshold);
      const staff = usernamePattern.test(username) ? await repo.findStaffByUsername(tx, username) : undefined;
      if (failures.length >= lockoutThreshold) {
        const unlockAt = new Date(failures[lockoutThreshold - 1]!.getTime() + lockoutWindowMinutes * MINUTE);
        await appendAudit(tx, {
          tenantId: staff?.tenant_id ?? null, actor: systemActor, action: 'staff.login_locked_out', at: now,
          ...(staff ? { subjectType: 'staff', subjectId: staff.id } : {}),
          details: staff ? { unlockAt: unlockAt.toISOString() } : { unknownUsername: true, unlockAt: unlockAt.toISOString() },
        });
        return { locked: true as const, unlockAt };
      }
      return { locked: false as const, failureId: await repo.insertFailure(tx, key, now), staff };
    });
    if (attempt.locked) {
      const retryAfterSeconds = Math.max(1, Math.ceil((attempt.unlockAt.getTime() - now.getTime()) / 1000));
      throw new DomainError('auth.locked_out', `Too many failed attempts; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, { retryAfterSeconds });
    }
    return attempt;
  }

  return {
    /** Checks a username and password and opens a session; see the module header for lockout. */
    async login(rawUsername: string, password: string): Promise<LoginResult> {
      const now = clock();
      const username = normalizeUsername(rawUsername);
      const { failureId, staff } = await reserveAttempt(username, now);
      const ok = await verifyPassword(password, staff?.password_hash ?? dummyPasswordHash);
      if (!staff || !ok || staff.disabled) {
        const reason = !staff ? 'unknown_username' : !ok ? 'wrong_password' : 'disabled';
        await appendAudit(db, {
          tenantId: staff?.tenant_id ?? null, actor: systemActor, action: 'staff.login_failed', at: now,
          ...(staff ? { subjectType: 'staff', subjectId: staff.id } : {}), details: { reason },
        });
        throw new DomainError('auth.invalid_credentials');
      }
      const rehash = needsRehash(staff.password_hash) ? await hashPassword(password) : undefined;
      const token = newSessionToken();
      const expiresAt = new Date(now.getTime() + ttlMinutes * MINUTE);
      await db.transaction(async (tx) => {
        await repo.deleteFailure(tx, failureId);
        if (rehash) await repo.setPasswordHash(tx, staff.id, rehash, staff.must_change_password);
        await repo.insertSession(tx, keyring.tokenHmac(token), staff.id, now, expiresAt);
        await repo.setLastLogin(tx, staff.id, now);
        await appendAudit(tx, {
          tenantId: staff.tenant_id, actor: { type: 'staff', id: staff.id }, action: 'staff.login_succeeded', at: now,
          subjectType: 'staff', subjectId: staff.id, details: { expiresAt: expiresAt.toISOString(), rehashed: rehash !== undefined },
        });
      });
      return {
        token, expiresAt,
        staff: {
          id: staff.id, username: staff.username, role: staff.role, tenantId: staff.tenant_id, storeId: staff.store_id,
          mustChangePassword: staff.must_change_password,
        },
      };
    },

    /** Ends the caller's own session. */
    async logout(principal: Principal | undefined): Promise<void> {
      const p = requireStaff(principal, roles);
      if (!p.sessionId) throw new DomainError('auth.required', 'Logout needs a session token.');
      const now = clock();
      await db.transaction(async (tx) => {
        await repo.deleteSession(tx, Buffer.from(p.sessionId!, 'hex'));
        await appendAudit(tx, { tenantId: p.tenantId, actor: { type: 'staff', id: p.staffId }, action: 'staff.logout', at: now, subjectType: 'staff', subjectId: p.staffId });
      });
    },

    /**
     * Replaces the caller's password (the current one is required and counts towards the
     * lockout when wrong), clears `must_change_password` and ends every other session.
     */
    async changePassword(principal: Principal | undefined, currentPassword: string, newPassword: string): Promise<void> {
      const p = requireStaff(principal, roles);
      const now = clock();
      const staff = await repo.findStaffById(db, p.staffId);
      if (!staff || staff.disabled) throw new DomainError('auth.required');
      assertPasswordPolicy(newPassword, staff.username);
      if (newPassword === currentPassword) {
        throw new DomainError('auth.password_weak', 'The new password must differ from the current one.', { reasons: ['same_as_current'] });
      }
      const { failureId } = await reserveAttempt(staff.username, now);
      if (!(await verifyPassword(currentPassword, staff.password_hash))) {
        await appendAudit(db, {
          tenantId: staff.tenant_id, actor: { type: 'staff', id: staff.id }, action: 'staff.password_change_failed', at: now,
          subjectType: 'staff', subjectId: staff.id, details: { reason: 'wrong_current_password' },
        });
        throw new DomainError('auth.invalid_credentials', 'The current password is wrong.');
      }
      const hash = await hashPassword(newPassword);
      await db.transaction(async (tx) => {
        await repo.deleteFailure(tx, failureId);
        await repo.setPasswordHash(tx, staff.id, hash, false);
        const ended = await repo.deleteSessionsOfStaff(tx, staff.id, p.sessionId ? Buffer.from(p.sessionId, 'hex') : null);
        await appendAudit(tx, {
          tenantId: staff.tenant_id, actor: { type: 'staff', id: staff.id }, action: 'staff.password_changed', at: now,
          subjectType: 'staff', subjectId: staff.id, details: { otherSessionsEnded: ended },
        });
      });
    },

    /** For the sweeper: drops expired sessions and failures that no longer count. */
    async purgeExpired(): Promise<{ sessions: number; loginFailures: number }> {
      const now = clock();
      const sessions = await repo.deleteExpiredSessions(db, now);
      const loginFailures = await repo.deleteFailuresBefore(db, new Date(now.getTime() - lockoutWindowMinutes * MINUTE));
      return { sessions, loginFailures };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
