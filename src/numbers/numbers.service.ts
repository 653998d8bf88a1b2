/**
 * Number inventory administration: an operator admin imports numbers (CSV or JSON, with a
 * per-row report), lists its numbers and counts them by state; agents and store managers list
 * the available numbers of their own store to pick one at the counter. Imports and listings
 * are audited (counts and filters only, never the numbers).
 */
import type { Database } from '../db/database.ts';
import { appendAudit } from '../audit/audit.ts';
import { DomainError } from '../errors/errors.ts';
import { isUuid } from '../db/ids.ts';
import { actorOf, assertTenantAccess, requireStaff, type Principal } from '../staff/principal.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import { numbersRepository } from './numbers.repository.ts';
import { normalizeMsisdn, type NumberState, type PhoneNumber } from './numbers.ts';
import { parseNumbersCsv, planImport, summarize, type ImportInputRow, type ImportReport, type ImportReportRow } from './numbers.import.ts';

export interface NumbersDeps {
  db: Database;
  clock: () => Date;
}

export const MAX_LIST_LIMIT = 500;
const INSERT_CHUNK = 5000;

export type ImportSource = { csv: string } | { rows: readonly { msisdn: string; storeCode?: string | undefined }[] };

export interface ListNumbersQuery {
  state?: NumberState | undefined;
  storeId?: string | undefined;
  limit?: number | undefined;
  /** `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

export interface NumbersPage { items: PhoneNumber[]; nextCursor: string | null }

export function createNumbersService(deps: NumbersDeps) {
  const { db, clock } = deps;

  return {
    /**
     * Imports numbers into an operator's inventory (operator admin, own operator), each into
     * the store named by its store code or into the operator-wide pool. Returns how many were
     * imported and, row by row, what was not: invalid, unknown store, duplicate (repeated in
     * the input, or already in the inventory of any operator).
     */
    async importNumbers(principal: Principal | undefined, tenantId: string, source: ImportSource): Promise<ImportReport> {
      const p = requireStaff(principal, ['operator_admin']);
      assertTenantAccess(p, tenantId);
      let input: ImportInputRow[];
      const rejected: ImportReportRow[] = [];
      if ('csv' in source) {
        const parsed = parseNumbersCsv(source.csv);
        input = parsed.rows;
        rejected.push(...parsed.rejected);
      } else {
        input = source.rows.map((r, i) => ({ line: i + 1, msisdn: r.msisdn, storeCode: r.storeCode }));
      }
      const now = clock();
      return db.transaction(async (tx) => {
        if (!(await tenantsRepository.getTenant(tx, tenantId))) throw new DomainError('tenant.not_found');
        const plan = planImport(input, await tenantsRepository.storeIdsByCode(tx, tenantId));
        rejected.push(...plan.rejected);
        let imported = 0;
        for (const [storeKey, rows] of plan.byStore) {
          for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
            const chunk = rows.slice(i, i + INSERT_CHUNK);
            const existing = new Set(await numbersRepository.importNumbers(tx, tenantId, storeKey === '' ? null : storeKey, chunk.map((r) => r.msisdn)));
            for (const r of chunk) {
              if (existing.has(r.msisdn)) rejected.push({ line: r.line, msisdn: r.msisdn, status: 'duplicate', message: 'Already in the inventory' });
              else imported++;
            }
          }
        }
        const report = summarize(imported, rejected);
        await appendAudit(tx, {
          tenantId, actor: actorOf(p), action: 'numbers.imported', at: now,
          details: { format: 'csv' in source ? 'csv' : 'json', imported, duplicate: report.duplicate, invalid: report.invalid, unknownStore: report.unknownStore },
        });
        return report;
      });
    },

    /**
     * Operator admins: the operator's numbers, by state and store. Agents and store managers:
     * only available numbers of their own store (and of the operator-wide pool).
     */
    async listNumbers(principal: Principal | undefined, tenantId: string, q: ListNumbersQuery): Promise<NumbersPage> {
      const p = requireStaff(principal, ['operator_admin', 'store_manager', 'agent']);
      assertTenantAccess(p, tenantId);
      const limit = q.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new DomainError('request.invalid', `limit must be from 1 to ${MAX_LIST_LIMIT}`);
      if (q.cursor !== undefined && normalizeMsisdn(q.cursor) !== q.cursor) throw new DomainError('request.invalid', 'The cursor is not valid');
      const counter = p.role === 'agent' || p.role === 'store_manager';
      if (counter) {
        if (q.state !== undefined && q.state !== 'available') throw new DomainError('auth.forbidden', 'Agents and store managers see available numbers only');
        if (q.storeId !== undefined && q.storeId !== p.storeId) throw new DomainError('auth.forbidden');
      } else if (q.storeId !== undefined) {
        const store = isUuid(q.storeId) ? await tenantsRepository.getStore(db, q.storeId) : undefined;
        if (!store || store.tenantId !== tenantId) throw new DomainError('store.not_found');
      }
      const filter = counter
        ? { tenantId, state: 'available' as const, storeId: p.storeId ?? undefined, orUnassigned: true, after: q.cursor }
        : { tenantId, state: q.state, storeId: q.storeId, after: q.cursor };
      return db.transaction(async (tx) => {
        const rows = await numbersRepository.listPage(tx, filter, limit + 1);
        const items = rows.slice(0, limit);
        await appendAudit(tx, {
          tenantId, actor: actorOf(p), action: 'numbers.listed', at: clock(),
          details: { state: filter.state ?? null, storeId: filter.storeId ?? null, count: items.length },
        });
        return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.msisdn : null };
      });
    },

    /** Operator admins: how many numbers are in each state (of one store, if given). */
    async countNumbers(principal: Principal | undefined, tenantId: string, storeId: string | undefined): Promise<{ counts: Record<NumberState, number>; total: number }> {
      const p = requireStaff(principal, ['operator_admin']);
      assertTenantAccess(p, tenantId);
      if (storeId !== undefined) {
        const store = isUuid(storeId) ? await tenantsRepository.getStore(db, storeId) : undefined;
        if (!store || store.tenantId !== tenantId) throw new DomainError('store.not_found');
      }
      const counts = await numbersRepository.countByState(db, tenantId, storeId);
      return { counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
    },
  };
}

export type NumbersService = ReturnType<typeof createNumbersService>;
