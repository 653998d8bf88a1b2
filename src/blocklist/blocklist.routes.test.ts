import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../http/app.ts';
import { createKeyring } from '../privacy/keyring.ts';
import { readDocument } from '../subscribers/identity.ts';
import { createSubscribersRepository } from '../subscribers/subscribers.repository.ts';
import { createBlocklistService, type BlocklistService } from './blocklist.service.ts';
import { blocklistRoutes } from './blocklist.routes.ts';
import { assertProblem, auditOf, caller, seedWorld, testApp, type Who, type World } from '../tenants/tenants.test-support.ts';

const now = new Date('2030-03-01T08:00:00.000Z');
const keyring = createKeyring(Buffer.alloc(32, 9));

/** A GB 11643 resident ID number: 17 digits and their check character. */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11];
}

const ID1 = '11010519491231002X';
const ID2 = residentId('11010519800101001');
const ID3 = residentId('11010519900215003');

for (const target of await testTargets()) {
  describe(`blocklist API (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let app: App;
    let w: World;
    let service: BlocklistService;
    const call = caller(() => app);
    const add = (who: Who, documentNumber: string, reason = 'Forged documents presented') =>
      call(who, 'POST', '/v1/blocklist', { documentType: 'cn_resident_id', documentNumber, reason });
    const hmacOf = (number: string) => readDocument(keyring, { type: 'cn_resident_id', number, name: 'Anyone' }, now).docHmac;

    before(async () => {
      db = await target.open();
      w = await seedWorld(db);
      service = createBlocklistService({ db, keyring, clock: () => now });
      app = await testApp([blocklistRoutes({ blocklist: service })], w.principals);
    });
    after(async () => { await app.close(); await target.close(db); });

    test('an entry stores only the HMAC registration looks people up by, and is audited without the number', async () => {
      const res = await add('adminA', '110105 19491231 002x', '  Forged   documents ');
      assert.equal(res.statusCode, 201, res.body);
      const entry = res.json();
      assert.deepEqual(Object.keys(entry).sort(), ['createdAt', 'createdBy', 'createdByUsername', 'documentType', 'id', 'maskedNumber', 'reason', 'reasonCode', 'tenantId']);
      assert.deepEqual({ ...entry, id: undefined }, {
        id: undefined, tenantId: w.tenantA, documentType: 'cn_resident_id', maskedNumber: '110105********002X', reasonCode: 'other',
        reason: 'Forged documents', createdBy: w.staff.adminA, createdByUsername: 'admina', createdAt: now.toISOString(),
      });

      const { rows } = await db.query<Record<string, unknown> & { doc_hmac: Buffer }>('SELECT * FROM blocklist WHERE id = $1', [entry.id]);
      assert.equal(rows.length, 1);
      assert.ok(rows[0]!.doc_hmac.equals(hmacOf(ID1)), 'the HMAC readDocument gives the registration flow');
      const stored = JSON.stringify({ ...rows[0], doc_hmac: rows[0]!.doc_hmac.toString('hex') });
      assert.doesNotMatch(stored, /19491231/, 'no part of the number is stored in clear');

      const subscribers = createSubscribersRepository(keyring);
      assert.equal(await subscribers.isBlocklisted(db, hmacOf(ID1), w.tenantA), true);
      assert.equal(await subscribers.isBlocklisted(db, hmacOf(ID1), w.tenantB), false, 'an operator entry binds that operator only');

      const events = await auditOf(db, 'blocklist.added');
      assert.deepEqual(events, [{ tenant_id: w.tenantA, actor_id: w.staff.adminA, subject_id: entry.id, details: { scope: 'tenant', documentType: 'cn_resident_id', reasonCode: 'other' } }]);
      const audit = JSON.stringify((await db.query('SELECT * FROM audit_events')).rows);
      assert.doesNotMatch(audit, /19491231|Forged/, 'neither the number nor the free-text reason reaches the audit log');
    });

    test('duplicates in one scope are refused; a deployment-wide entry, added by system code, is separate and binds everyone', async () => {
      assertProblem(await add('adminA', ID1), 409, 'blocklist.already_listed');
      assert.equal((await add('adminB', ID1)).statusCode, 201, 'operator B keeps its own list');
      const entry = await service.addDeploymentEntryAsSystem({ documentType: 'cn_resident_id', documentNumber: ID2, reason: ' Reported  stolen ' });
      assert.deepEqual({ ...entry, id: undefined }, {
        id: undefined, tenantId: null, documentType: 'cn_resident_id', maskedNumber: `${ID2.slice(0, 6)}********${ID2.slice(-4)}`, reasonCode: 'other',
        reason: 'Reported stolen', createdBy: null, createdByUsername: null, createdAt: now,
      });
      await assert.rejects(service.addDeploymentEntryAsSystem({ documentType: 'cn_resident_id', documentNumber: ID2, reason: 'Again' }),
        { name: 'DomainError', code: 'blocklist.already_listed' });
      await assert.rejects(service.addDeploymentEntryAsSystem({ documentType: 'cn_resident_id', documentNumber: '110105194912310021', reason: 'Typo' }),
        { name: 'DomainError', code: 'document.invalid' });
      const subscribers = createSubscribersRepository(keyring);
      assert.equal(await subscribers.isBlocklisted(db, hmacOf(ID2), w.tenantA), true);
      assert.equal(await subscribers.isBlocklisted(db, hmacOf(ID2), w.tenantB), true);
      const { rows } = await db.query<{ tenant_id: string | null; actor_type: string; actor_id: string | null; details: Record<string, unknown> }>(
        "SELECT tenant_id, actor_type, actor_id, details FROM audit_events WHERE action = 'blocklist.added' AND subject_id = $1", [entry.id]);
      assert.deepEqual(rows, [{ tenant_id: null, actor_type: 'system', actor_id: null, details: { scope: 'deployment', documentType: 'cn_resident_id', reasonCode: 'other' } }]);
    });

    test('regulators are read-only: they add nothing, not even deployment-wide', async () => {
      const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM blocklist')).rows[0]!.n;
      assertProblem(await add('regulator', ID3, 'Reported stolen'), 403, 'auth.forbidden');
      assertProblem(await add('regulator', ID2, 'Reported stolen'), 403, 'auth.forbidden');
      const after = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM blocklist')).rows[0]!.n;
      assert.equal(after, before);
      assert.equal(await createSubscribersRepository(keyring).isBlocklisted(db, hmacOf(ID3), w.tenantA), false);
    });

    test('bad documents and bad input are refused', async () => {
      const bad = assertProblem(await add('adminA', '110105194912310021'), 422, 'document.invalid');
      assert.deepEqual((bad.errors as { code: string }[]).map((e) => e.code), ['id.checksum']);
      assertProblem(await call('adminA', 'POST', '/v1/blocklist', { documentType: 'library_card', documentNumber: ID3, reason: 'x' }), 400, 'request.invalid');
      assertProblem(await add('adminA', ID3, '   '), 400, 'request.invalid');
      assertProblem(await call('adminA', 'POST', '/v1/blocklist', { documentType: 'cn_resident_id', documentNumber: ID3 }), 400, 'request.invalid');
    });

    test('who may add', async () => {
      const expected: [Who | 'anonymous', number][] = [
        ['regulator', 403], ['managerA1', 403], ['agentA1', 403], ['apiKeyA', 403], ['anonymous', 401],
      ];
      for (const [who, status] of expected) {
        const res = await call(who, 'POST', '/v1/blocklist', { documentType: 'cn_resident_id', documentNumber: ID3, reason: 'x' });
        assert.equal(res.statusCode, status, who);
      }
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM blocklist WHERE doc_hmac = $1', [hmacOf(ID3)]);
      assert.equal(rows[0]!.n, 0);
    });

    test('listing: own and deployment-wide entries for operator admins; everything for regulators; never a number', async () => {
      const ids = (res: { json: () => { items: { id: string; tenantId: string | null }[] } }) => res.json().items.map((e) => e.tenantId);
      const a = await call('adminA', 'GET', '/v1/blocklist');
      assert.equal(a.statusCode, 200, a.body);
      assert.deepEqual(ids(a).sort(), [null, w.tenantA].sort());
      assert.deepEqual(ids(await call('adminB', 'GET', '/v1/blocklist')).sort(), [null, w.tenantB].sort());
      assert.equal(ids(await call('regulator', 'GET', '/v1/blocklist')).length, 3);
      assert.deepEqual(ids(await call('regulator', 'GET', `/v1/blocklist?tenantId=${w.tenantB}`)), [w.tenantB]);
      assert.deepEqual(ids(await call('adminA', 'GET', `/v1/blocklist?tenantId=${w.tenantA}`)).sort(), [null, w.tenantA].sort());
      assertProblem(await call('adminA', 'GET', `/v1/blocklist?tenantId=${w.tenantB}`), 403, 'auth.forbidden');
      assertProblem(await call('agentA1', 'GET', '/v1/blocklist'), 403, 'auth.forbidden');
      assertProblem(await call('managerA1', 'GET', '/v1/blocklist'), 403, 'auth.forbidden');
      assert.doesNotMatch(a.body, /19491231|19800101|doc_?hmac/i);

      // Keyset paging gives every entry once.
      const seen: string[] = [];
      let url = '/v1/blocklist?limit=1';
      for (let i = 0; i < 5; i++) {
        const page = (await call('regulator', 'GET', url)).json();
        seen.push(...page.items.map((e: { id: string }) => e.id));
        if (!page.nextCursor) break;
        url = `/v1/blocklist?limit=1&cursor=${page.nextCursor}`;
      }
      assert.equal(new Set(seen).size, 3);
      assertProblem(await call('regulator', 'GET', '/v1/blocklist?cursor=bm9wZQ'), 400, 'request.invalid');
      assert.equal((await auditOf(db, 'blocklist.listed')).at(0)!.details.count, 2);
    });

    test('removal: operator admins, only entries of their own operator; regulators remove nothing', async () => {
      const all = (await call('regulator', 'GET', '/v1/blocklist')).json().items as { id: string; tenantId: string | null }[];
      const ofA = all.find((e) => e.tenantId === w.tenantA)!.id;
      const deployment = all.find((e) => e.tenantId === null)!.id;
      assertProblem(await call('adminB', 'DELETE', `/v1/blocklist/${ofA}`), 404, 'blocklist.not_found');
      assertProblem(await call('regulator', 'DELETE', `/v1/blocklist/${ofA}`), 403, 'auth.forbidden');
      assertProblem(await call('regulator', 'DELETE', `/v1/blocklist/${deployment}`), 403, 'auth.forbidden');
      assertProblem(await call('adminA', 'DELETE', `/v1/blocklist/${deployment}`), 404, 'blocklist.not_found');
      assertProblem(await call('managerA1', 'DELETE', `/v1/blocklist/${ofA}`), 403, 'auth.forbidden');
      assert.equal((await call('adminA', 'DELETE', `/v1/blocklist/${ofA}`)).statusCode, 204);
      assertProblem(await call('adminA', 'DELETE', `/v1/blocklist/${ofA}`), 404, 'blocklist.not_found');
      const subscribers = createSubscribersRepository(keyring);
      assert.equal(await subscribers.isBlocklisted(db, hmacOf(ID1), w.tenantA), false);
      assert.equal(await subscribers.isBlocklisted(db, hmacOf(ID1), w.tenantB), true);
      assert.equal(await subscribers.isBlocklisted(db, hmacOf(ID2), w.tenantA), true, 'the deployment-wide entry is still there');
      const removed = await auditOf(db, 'blocklist.removed');
      assert.deepEqual(removed.map((e) => [e.tenant_id, e.actor_id, e.subject_id, e.details.scope]), [[w.tenantA, w.staff.adminA, ofA, 'tenant']]);
    });

    test('two admins adding the same document at once: one entry, one already_listed', async () => {
      const results = await Promise.all(Array.from({ length: 16 }, () => add('adminB', ID3)));
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, ...Array<number>(15).fill(409)]);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM blocklist WHERE doc_hmac = $1', [hmacOf(ID3)]);
      assert.equal(rows[0]!.n, 1);
    });

    test('a reason code from the list goes with the note; other documents are masked the same way; the audit has the code only', async () => {
      const res = await call('adminB', 'POST', '/v1/blocklist', { documentType: 'hk_macau_travel_permit', documentNumber: 'H12345678', reasonCode: 'lost_or_stolen', reason: 'Case 2030-117' });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual([res.json().documentType, res.json().maskedNumber, res.json().reasonCode, res.json().reason], ['hk_macau_travel_permit', 'H1*****78', 'lost_or_stolen', 'Case 2030-117']);
      const events = await auditOf(db, 'blocklist.added');
      assert.deepEqual(events.at(-1)!.details, { scope: 'tenant', documentType: 'hk_macau_travel_permit', reasonCode: 'lost_or_stolen' });
      assertProblem(await call('adminB', 'POST', '/v1/blocklist', { documentType: 'cn_resident_id', documentNumber: ID3, reasonCode: 'bad_vibes', reason: 'x' }), 400, 'request.invalid');
      await assert.rejects(service.addEntry(w.principals.adminB, { documentType: 'cn_resident_id', documentNumber: ID3, reasonCode: 'bad_vibes', reason: 'x' }),
        { name: 'DomainError', code: 'request.invalid' });
      assert.equal((await call('adminB', 'DELETE', `/v1/blocklist/${res.json().id}`)).statusCode, 204);
      assert.deepEqual((await auditOf(db, 'blocklist.removed')).at(-1)!.details.reasonCode, 'lost_or_stolen');
    });
  });
}
