import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { runAuditVerify } from './audit.cli.ts';
import { chainRows, idAtSeq, resetAudit } from './audit.test-support.ts';

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (s: string) => { out.stdout += s; }, stderr: (s: string) => { out.stderr += s; } } };
}

for (const target of await testTargets()) {
  describe(`portrait audit verify (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    before(async () => { db = await target.open(); });
    after(async () => { await target.close(db); });

    test('an intact chain: exit 0, events checked and head hash', async () => {
      await resetAudit(db, 5);
      const { out, io } = capture();
      assert.equal(await runAuditVerify(db, io, { json: false }), 0);
      const head = (await chainRows(db))[4]!.hash!.toString('hex');
      assert.equal(out.stdout, `Audit chain intact: 5 events verified.\nHead hash: ${head}\n`);
      assert.equal(out.stderr, '');
    });

    test('--json prints the result as one JSON line', async () => {
      await resetAudit(db, 3);
      const { out, io } = capture();
      assert.equal(await runAuditVerify(db, io, { json: true }), 0);
      const result = JSON.parse(out.stdout);
      assert.equal(result.ok, true);
      assert.equal(result.events, 3);
      assert.ok(out.stdout.endsWith('}\n') && out.stdout.split('\n').length === 2);
    });

    test('a broken chain: exit 1 and the first broken link is named', async () => {
      await resetAudit(db, 6);
      await runAuditVerify(db, capture().io, { json: false });
      await db.query("UPDATE audit_events SET action = 'edited' WHERE seq = 4");
      const id = await idAtSeq(db, 4);
      const { out, io } = capture();
      assert.equal(await runAuditVerify(db, io, { json: false }), 1);
      assert.match(out.stderr, new RegExp(`^Audit chain BROKEN at seq 4 \\(event id ${id}\\): hash_mismatch\\n`));
      assert.match(out.stderr, /3 events before it verified intact/);
      const json = capture();
      assert.equal(await runAuditVerify(db, json.io, { json: true }), 1);
      assert.deepEqual(JSON.parse(json.out.stdout).firstBroken.seq, 4);
    });
  });
}
