/**
 * Audit use cases for staff: list events, verify the chain, export it for inspection.
 * Regulators read every tenant; operator admins read their own tenant's events only;
 * everyone else (other roles, API keys) is refused. Verifying and exporting are regulator
 * actions and are themselves audited.
 */
import type { Database } from '../db/database.ts';
import { DomainError } from '../errors/errors.ts';
import { actorOf, assertTenantAccess, requireStaff, type Principal, type StaffPrincipal } from '../staff/principal.ts';
import { appendAudit } from './audit.ts';
import { csvHeader, csvRow } from './audit.csv.ts';
import { listEvents, readChainHead, readChainPage, type AuditEventRow } from './audit.repository.ts';
import { sequenceAudit } from './audit.sequencer.ts';
import { verifyAuditChain, type VerifyResult } from './audit.verify.ts';

export interface AuditServiceDeps {
  db: Database;
  /** Chains pending events (the server's `Sequencer.flush`); default a direct sequencer round. */
  flush?: () => Promise<number>;
}

export const MAX_LIST_LIMIT = 500;
const EXPORT_PAGE = 1000;

export interface ListAuditQuery {
  tenantId?: string | undefined;
  action?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface AuditPage { items: AuditEventRow[]; nextCursor: string | null }

/** The tenant a reader is confined to: regulators any (or all), operator admins their own. */
function readableTenant(staff: StaffPrincipal, requested: string | undefined): string | undefined {
  if (staff.role === 'regulator') return requested;
  if (staff.tenantId === null) throw new DomainError('auth.forbidden');
  if (requested !== undefined) assertTenantAccess(staff, requested);
  return staff.tenantId;
}

function checkRange(from: Date | undefined, to: Date | undefined): void {
  for (const d of [from, to]) if (d && Number.isNaN(d.getTime())) throw new DomainError('request.invalid', 'Not a valid time');
  if (from && to && from.getTime() >= to.getTime()) throw new DomainError('request.invalid', '`from` must be before `to`');
}

function parseCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const n = /^[1-9][0-9]{0,15}$/.test(cursor) ? Number(cursor) : NaN;
  if (!Number.isSafeInteger(n)) throw new DomainError('request.invalid', 'The cursor is not valid');
  return n;
}

/** Events newest first, filtered, in keyset pages. */
export async function listAuditEvents(deps: AuditServiceDeps, principal: Principal | undefined, q: ListAuditQuery): Promise<AuditPage> {
  const staff = requireStaff(principal, ['regulator', 'operator_admin']);
  const tenantId = readableTenant(staff, q.tenantId);
  checkRange(q.from, q.to);
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new DomainError('request.invalid', `limit must be from 1 to ${MAX_LIST_LIMIT}`);
  const rows = await listEvents(deps.db, {
    tenantId, action: q.action, subjectType: q.subjectType, subjectId: q.subjectId, from: q.from, to: q.to, beforeId: parseCursor(q.cursor),
  }, limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null };
}

/** Verifies the whole chain (regulators) and records that a verification ran, and its outcome. */
export async function verifyChainAs(deps: AuditServiceDeps, principal: Principal | undefined): Promise<VerifyResult> {
  const staff = requireStaff(principal, ['regulator']);
  const result = await verifyAuditChain(deps.db, deps.flush ? { flush: deps.flush } : {});
  await appendAudit(deps.db, {
    tenantId: null,
    actor: actorOf(staff),
    action: 'audit.chain_verified',
    details: result.ok
      ? { ok: true, events: result.events, head: result.head }
      : { ok: false, events: result.events, brokenSeq: result.firstBroken.seq, problem: result.firstBroken.problem },
  });
  return result;
}

export interface ExportQuery { tenantId?: string | undefined; from?: Date | undefined; to?: Date | undefined }

/**
 * Opens a CSV export (regulators) of the events chained when it starts, in seq order,
 * optionally of one tenant and a time range; records the export; then yields the CSV in
 * chunks of one page each. Rows of a filtered export still verify one by one (each holds
 * its prev_hash); links between consecutive seqs verify across rows.
 */
export async function exportAuditCsv(deps: AuditServiceDeps, principal: Principal | undefined, q: ExportQuery): Promise<AsyncIterable<string>> {
  const staff = requireStaff(principal, ['regulator']);
  checkRange(q.from, q.to);
  await (deps.flush ?? (() => sequenceAudit(deps.db)))();
  const uptoSeq = (await readChainHead(deps.db))?.seq ?? 0;
  await appendAudit(deps.db, {
    tenantId: null,
    actor: actorOf(staff),
    action: 'audit.exported',
    details: { tenantId: q.tenantId ?? null, from: q.from?.toISOString() ?? null, to: q.to?.toISOString() ?? null, uptoSeq },
  });
  const db = deps.db;
  return (async function* pages() {
    yield csvHeader();
    let afterSeq = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const page = await readChainPage(db, { afterSeq, uptoSeq, tenantId: q.tenantId, from: q.from, to: q.to }, EXPORT_PAGE);
      if (page.length > 0) yield page.map(csvRow).join('');
      if (page.length < EXPORT_PAGE) return;
      afterSeq = page[page.length - 1]!.seq;
    }
  })();
}
