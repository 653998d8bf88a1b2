/**
 * HTTP routes of operator administration: operators and their stores. Each route is a schema
 * and one service call; who may do what is decided in tenants.service.ts.
 */
import { Type } from 'typebox';
import type { RouteRegistrar } from '../http/app.ts';
import type { Store, Tenant } from './tenants.repository.ts';
import type { TenantsService } from './tenants.service.ts';
import { maxNameLength, regionCodePattern, storeCodePattern } from './tenants.ts';
import { Problem, Uuid } from '../http/schemas.ts';

export interface TenantsRoutesDeps {
  tenants: TenantsService;
}

const DateTime = Type.String({ format: 'date-time' });
const Name = Type.String({ minLength: 1, maxLength: maxNameLength });

const TenantOut = Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), createdAt: DateTime });
const StoreOut = Type.Object({
  id: Uuid, tenantId: Uuid, code: Type.String(), name: Type.String(),
  regionCode: Type.Union([Type.String(), Type.Null()], { description: 'GB/T 2260 region code of the store, if known' }),
});
const TenantParams = Type.Object({ tenantId: Uuid });
const StoreParams = Type.Object({ storeId: Uuid });

const tags = ['tenants'];
const security = [{ bearer: [] }];
const errors = { '4xx': Problem };

const tenantJson = (t: Tenant) => ({ id: t.id, code: t.code, name: t.name, createdAt: t.createdAt.toISOString() });
const storeJson = (s: Store) => ({ id: s.id, tenantId: s.tenantId, code: s.code, name: s.name, regionCode: s.regionCode });

export function tenantsRoutes(deps: TenantsRoutesDeps): RouteRegistrar {
  const { tenants } = deps;
  return (app) => {
    app.get('/v1/tenants', {
      schema: { tags, security, summary: 'Operators (regulator: all; operator admin: its own)', response: { 200: Type.Object({ items: Type.Array(TenantOut) }), ...errors } },
    }, async (req) => ({ items: (await tenants.listTenants(req.principal)).map(tenantJson) }));

    app.get('/v1/tenants/:tenantId', {
      schema: { tags, security, summary: 'One operator (regulator: any; operator admin: its own)', params: TenantParams, response: { 200: TenantOut, ...errors } },
    }, async (req) => tenantJson(await tenants.getTenant(req.principal, req.params.tenantId)));

    app.get('/v1/tenants/:tenantId/stores', {
      schema: { tags, security, summary: 'Stores of an operator (regulator: any; operator admin: its own)', params: TenantParams, response: { 200: Type.Object({ items: Type.Array(StoreOut) }), ...errors } },
    }, async (req) => ({ items: (await tenants.listStores(req.principal, req.params.tenantId)).map(storeJson) }));

    app.post('/v1/tenants/:tenantId/stores', {
      schema: {
        tags, security, summary: 'Open a store (operator admin, own operator)', params: TenantParams,
        body: Type.Object({
          code: Type.String({ pattern: storeCodePattern, description: 'Unique within the operator' }),
          name: Name,
          regionCode: Type.Optional(Type.String({ pattern: regionCodePattern })),
        }, { additionalProperties: false }),
        response: { 201: StoreOut, ...errors },
      },
    }, async (req, reply) => {
      const store = await tenants.createStore(req.principal, req.params.tenantId, req.body);
      return reply.status(201).send(storeJson(store));
    });

    app.patch('/v1/stores/:storeId', {
      schema: {
        tags, security, summary: 'Rename a store (operator admin, own operator)', params: StoreParams,
        body: Type.Object({ name: Name }, { additionalProperties: false }),
        response: { 200: StoreOut, ...errors },
      },
    }, async (req) => storeJson(await tenants.renameStore(req.principal, req.params.storeId, req.body.name)));
  };
}
