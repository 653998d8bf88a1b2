import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { buildApp } from './app.ts';
import { DomainError } from '../errors/errors.ts';

test('request logs carry the route pattern, never the concrete path, query or credentials', async () => {
  const lines: string[] = [];
  const app = await buildApp({
    bodyLimitBytes: 1024, logLevel: 'info', version: 't', health: async () => ({}),
    authenticate: async () => undefined,
    logStream: { write: (l: string) => { lines.push(l); } },
    routes: [(a) => {
      a.get('/v1/numbers/:msisdn', { schema: { params: Type.Object({ msisdn: Type.String() }) } }, async () => {
        throw new DomainError('number.not_found');
      });
    }],
  });
  const res = await app.inject({ method: 'GET', url: '/v1/numbers/13812345678?doc=11010519491231002X', headers: { authorization: 'Bearer secret-token-value' } });
  assert.equal(res.statusCode, 404);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  await app.close();
  const log = lines.join('');
  assert.match(log, /\/v1\/numbers\/:msisdn/);
  for (const secret of ['13812345678', '11010519491231002X', 'secret-token-value']) assert.equal(log.includes(secret), false, `${secret} leaked into the log`);
});
