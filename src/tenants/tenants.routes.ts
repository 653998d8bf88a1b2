/**
 * HTTP routes of operator administration: operators and their stores. Each route is a schema
 * and one service call; who may do what is decided in tenants.service.ts.
 */
import { Type } from 'typebox';
import type { RouteRegistrar } from '../http/app.ts';
import type { Store, StoreWithStaff, Tenant } from './tenants.repository.ts';
import type { TenantsService } from './tenants.service.ts';
import { maxNameLength, regionCodePattern, regionName, storeCodePattern } from './tenants.ts';
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
  regionName: Type.Union([Type.String(), Type.Null()], { description: 'The name of that division (province, prefecture, county), in Chinese' }),
});
const StoreListItem = Type.Object({ ...StoreOut.properties, staffCount: Type.Integer({ description: 'Enabled staff accounts of the store' }) });
const RegionCode = Type.String({ pattern: regionCodePattern, description: 'A GB/T 2260 division code' });
const TenantParams = Type.Object({ tenantId: Uuid });
const StoreParams = Type.Object({ storeId: Uuid });

const tags = ['tenants'];
const security = [{ bearer: [] }];
const errors = { '4xx': Problem };

const tenantJson = (t: Tenant) => ({ id: t.id, code: t.code, name: t.name, createdAt: t.createdAt.toISOString() });
const storeJson = (s: Store) => ({ id: s.id, tenantId: s.tenantId, code: s.code, name: s.name, regionCode: s.regionCode, regionName: regionName(s.regionCode) });

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
      schema: { tags, security, summary: 'Stores of an operator (regulator: any; operator admin: its own)', params: TenantParams, response: { 200: Type.Object({ items: Type.Array(StoreListItem) }), ...errors } },
    }, async (req) => ({ items: (await tenants.listStores(req.principal, req.params.tenantId)).map((s: StoreWithStaff) => ({ ...storeJson(s), staffCount: s.staffCount })) }));

    app.post('/v1/tenants/:tenantId/stores', {
      schema: {
        tags, security, summary: 'Open a store (operator admin, own operator)', params: TenantParams,
        body: Type.Object({
          code: Type.String({ pattern: storeCodePattern, description: 'Unique within the operator' }),
          name: Name,
          regionCode: Type.Optional(RegionCode),
        }, { additionalProperties: false }),
        response: { 201: StoreOut, ...errors },
      },
    }, async (req, reply) => {
      const store = await tenants.createStore(req.principal, req.params.tenantId, req.body);
      return reply.status(201).send(storeJson(store));
    });

    app.patch('/v1/stores/:storeId', {
      schema: {
        tags, security, summary: 'Rename a store or set its region code (operator admin, own operator)', params: StoreParams,
        body: Type.Object({
          name: Type.Optional(Name),
          regionCode: Type.Optional(Type.Union([RegionCode, Type.Null()], { description: 'null clears the region code' })),
        }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: StoreOut, ...errors },
      },
    }, async (req) => storeJson(await tenants.updateStore(req.principal, req.params.storeId, req.body)));
  };
}
