import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GENESIS_PREV_HASH, canonicalEvent, chainHash, chainTime, checkLink, type ChainEvent, type StoredLink } from './audit.chain.ts';
import { csvField, csvHeader, csvRow } from './audit.csv.ts';

const event: ChainEvent = {
  seq: 1, id: 7, at: '2025-01-01T00:00:00.123456Z', tenantId: '0a000000-0000-4000-8000-00000000000a',
  actorType: 'staff', actorId: 's1', action: 'x.y', subjectType: null, subjectId: 'r1',
  details: '{"a": 1, "b": "q\\"x é"}',
};
// Written out by hand (and hashed with Python's hashlib), independent of the implementation.
const expectedCanonical = String.raw`{"v":1,"seq":1,"id":7,"at":"2025-01-01T00:00:00.123456Z","tenantId":"0a000000-0000-4000-8000-00000000000a","actorType":"staff","actorId":"s1","action":"x.y","subjectType":null,"subjectId":"r1","details":"{\"a\": 1, \"b\": \"q\\\"x é\"}"}`;
const expectedHash = '5576b30852473fedc2fc8f4608e18ae8eb369b7e5db7ed61f26fd93547c44d0e';

describe('audit chain format', () => {
  test('canonical form has a fixed key order and the stored text forms', () => {
    assert.equal(canonicalEvent(event), expectedCanonical);
    const shuffled = Object.fromEntries(Object.entries(event).reverse()) as unknown as ChainEvent;
    assert.equal(canonicalEvent(shuffled), expectedCanonical, 'property order of the input does not matter');
  });

  test('hash = SHA-256(prev_hash ‖ canonical), genesis prev_hash is 32 zero bytes (test vector)', () => {
    assert.deepEqual([...GENESIS_PREV_HASH], new Array(32).fill(0));
    assert.equal(chainHash(GENESIS_PREV_HASH, event).toString('hex'), expectedHash);
    const prev = Buffer.alloc(32, 0xab);
    const manual = createHash('sha256').update(Buffer.concat([prev, Buffer.from(expectedCanonical, 'utf8')])).digest('hex');
    assert.equal(chainHash(prev, event).toString('hex'), manual);
  });

  test('every field, null versus empty string, and one microsecond change the hash', () => {
    const base = chainHash(GENESIS_PREV_HASH, event).toString('hex');
    const variants: Partial<ChainEvent>[] = [
      { seq: 2 }, { id: 8 }, { at: '2025-01-01T00:00:00.123457Z' }, { tenantId: null }, { actorType: 'system' },
      { actorId: null }, { actorId: '' }, { action: 'x.z' }, { subjectType: '' }, { subjectId: null },
      { details: '{"a": 1, "b": "q\\"x e"}' }, { details: '{"a": 1.0, "b": "q\\"x é"}' },
    ];
    const seen = new Set([base]);
    for (const v of variants) {
      const h = chainHash(GENESIS_PREV_HASH, { ...event, ...v }).toString('hex');
      assert.ok(!seen.has(h), `changing ${JSON.stringify(v)} must change the hash`);
      seen.add(h);
    }
    assert.notEqual(chainHash(Buffer.alloc(32, 1), event).toString('hex'), base, 'prev_hash is hashed');
    assert.throws(() => chainHash(Buffer.alloc(31), event), /32 bytes/);
  });

  test('chainTime gives the canonical microsecond text of a JS Date', () => {
    assert.equal(chainTime(new Date('2025-03-04T05:06:07.089Z')), '2025-03-04T05:06:07.089000Z');
  });
});

describe('checkLink', () => {
  const prev = Buffer.alloc(32, 9);
  const good: StoredLink = { ...event, seq: 4, prevHash: prev, hash: chainHash(prev, { ...event, seq: 4 }) };

  test('an intact link passes and returns its hash', () => {
    const r = checkLink(good, 4, prev);
    assert.ok(r.ok);
    assert.deepEqual(r.hash, good.hash);
  });

  test('each problem is named, with the seq and id of the broken link', () => {
    const cases: [StoredLink, number, Buffer, string, number, number | null][] = [
      [{ ...good, seq: 6 }, 4, prev, 'missing_seq', 4, null],
      [good, 5, prev, 'unexpected_seq', 4, 7],
      [{ ...good, hash: null }, 4, prev, 'missing_hash', 4, 7],
      [{ ...good, prevHash: Buffer.alloc(16) }, 4, prev, 'missing_hash', 4, 7],
      [good, 4, Buffer.alloc(32, 8), 'prev_hash_mismatch', 4, 7],
      [{ ...good, action: 'edited' }, 4, prev, 'hash_mismatch', 4, 7],
    ];
    for (const [link, seq, p, problem, brokenSeq, brokenId] of cases) {
      const r = checkLink(link, seq, p);
      assert.ok(!r.ok, problem);
      assert.equal(r.broken.problem, problem);
      assert.equal(r.broken.seq, brokenSeq);
      assert.equal(r.broken.id, brokenId);
    }
    const gap = checkLink({ ...good, seq: 7 }, 4, prev);
    assert.ok(!gap.ok);
    assert.match(gap.broken.detail, /seqs 4–6 are missing; the next event present is seq 7/);
  });
});

describe('audit CSV', () => {
  test('RFC 4180 quoting; NULL is empty, the empty string is ""', () => {
    assert.equal(csvField(null), '');
    assert.equal(csvField(''), '""');
    assert.equal(csvField(12), '12');
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
    assert.equal(csvField('cr\rx'), '"cr\rx"');
    assert.equal(csvField('=1+1'), '=1+1', 'values are never altered');
  });

  test('a row holds the canonical inputs and hex hashes, CRLF-terminated', () => {
    assert.equal(csvHeader(), 'seq,id,at,tenant_id,actor_type,actor_id,action,subject_type,subject_id,details,prev_hash,hash\r\n');
    const link: StoredLink = { ...event, actorId: '', prevHash: GENESIS_PREV_HASH, hash: Buffer.from(expectedHash, 'hex') };
    assert.equal(csvRow(link),
      `1,7,2025-01-01T00:00:00.123456Z,0a000000-0000-4000-8000-00000000000a,staff,"",x.y,,r1,"{""a"": 1, ""b"": ""q\\""x é""}",${'0'.repeat(64)},${expectedHash}\r\n`);
  });
});
