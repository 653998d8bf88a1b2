/**
 * HTTP routes of the staff concept: login/logout/password/me, staff accounts and partner
 * API keys. Each route is a schema and one service call; access rules live in the service.
 * Response schemas list every field, so nothing else (a password hash) can leak out.
 */
import { Type } from 'typebox';
import type { RouteRegistrar } from '../http/app.ts';
import { roles } from './principal.ts';
import { maxPasswordLength } from './password.ts';
import type { StaffService } from './staff.service.ts';
import {
  apiKeyScopes, authPaths, maxApiKeyNameLength, maxDisplayNameLength, maxRateLimitPerMinute, type ApiKeyView, type StaffView,
} from './staff.ts';
import { Uuid } from '../http/schemas.ts';

export interface StaffRoutesDeps {
  staff: StaffService;
}

const NullableUuid = Type.Union([Uuid, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const RoleSchema = Type.Enum([...roles]);
const ScopeSchema = Type.Enum([...apiKeyScopes]);
const Password = Type.String({ minLength: 1, maxLength: maxPasswordLength });

const Staff = Type.Object({
  id: Uuid, username: Type.String(), displayName: Type.String(), role: RoleSchema,
  tenantId: NullableUuid, storeId: NullableUuid, mustChangePassword: Type.Boolean(), disabled: Type.Boolean(), createdAt: DateTime,
  lastLoginAt: Type.Union([DateTime, Type.Null()], { description: 'The last successful login; null before the first' }),
});
const ApiKey = Type.Object({
  id: Uuid, tenantId: Uuid, name: Type.String(), scopes: Type.Array(ScopeSchema), rateLimitPerMinute: Type.Integer(),
  createdAt: DateTime, revokedAt: Type.Union([DateTime, Type.Null()]),
  lastUsedAt: Type.Union([DateTime, Type.Null()], { description: 'The last request made with the key, to the minute; null if never used' }),
});
const NoContent = Type.Null({ description: 'No content' });
const TenantParams = Type.Object({ tenantId: Uuid });
const StaffParams = Type.Object({ staffId: Uuid });
const OneTimePassword = Type.String({ description: 'Shown once; must be changed at first login' });

const bearer = [{ bearer: [] }];

const staffJson = (s: StaffView) => ({ ...s, createdAt: s.createdAt.toISOString(), lastLoginAt: s.lastLoginAt?.toISOString() ?? null });
const apiKeyJson = (k: ApiKeyView) => ({
  ...k, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null, lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
});

export function staffRoutes(deps: StaffRoutesDeps): RouteRegistrar {
  const { staff } = deps;
  return (app) => {
    app.post(authPaths.login, {
      schema: {
        tags: ['auth'], summary: 'Log in with username and password; returns a session token', security: [],
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 128 }), password: Password }),
        response: {
          200: Type.Object({
            token: Type.String({ description: 'Bearer token for the Authorization header; shown once' }),
            expiresAt: DateTime,
            staff: Type.Object({
              id: Uuid, username: Type.String(), role: RoleSchema, tenantId: NullableUuid, storeId: NullableUuid, mustChangePassword: Type.Boolean(),
            }),
          }),
        },
      },
    }, async (req) => {
      const r = await staff.login(req.body.username, req.body.password);
      return { ...r, expiresAt: r.expiresAt.toISOString() };
    });

    app.post(authPaths.logout, {
      schema: { tags: ['auth'], summary: 'End the current session', security: bearer, response: { 204: NoContent } },
    }, async (req, reply) => {
      await staff.logout(req.principal);
      return reply.code(204).send(null);
    });

    app.post(authPaths.password, {
      schema: {
        tags: ['auth'], summary: 'Change the own password; ends all other sessions', security: bearer,
        description: 'At least 12 characters from two classes (lower, upper, digit, other), 5 distinct characters, not the username.',
        body: Type.Object({ currentPassword: Password, newPassword: Password }),
        response: { 204: NoContent },
      },
    }, async (req, reply) => {
      await staff.changePassword(req.principal, req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send(null);
    });

    app.get(authPaths.me, {
      schema: { tags: ['auth'], summary: 'The logged-in staff member', security: bearer, response: { 200: Staff } },
    }, async (req) => staffJson(await staff.me(req.principal)));

    app.get('/v1/tenants/:tenantId/staff', {
      schema: {
        tags: ['staff'], summary: "List an operator's staff, or one store's (store managers: their store's)", security: bearer,
        params: TenantParams,
        querystring: Type.Object({ storeId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Staff) }) },
      },
    }, async (req) => ({ items: (await staff.listStaff(req.principal, req.params.tenantId, req.query)).map(staffJson) }));

    app.post('/v1/tenants/:tenantId/staff', {
      schema: {
        tags: ['staff'], summary: 'Create a staff account (operator admins); returns a one-time password', security: bearer,
        params: TenantParams,
        body: Type.Object({
          username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
          displayName: Type.String({ minLength: 1, maxLength: maxDisplayNameLength }),
          role: RoleSchema,
          storeId: Type.Optional(Uuid),
        }),
        response: { 201: Type.Object({ staff: Staff, oneTimePassword: OneTimePassword }) },
      },
    }, async (req, reply) => {
      const { staff: created, oneTimePassword } = await staff.createStaff(req.principal, { ...req.body, tenantId: req.params.tenantId });
      return reply.code(201).send({ staff: staffJson(created), oneTimePassword });
    });

    app.post('/v1/staff/:staffId/disable', {
      schema: {
        tags: ['staff'], summary: 'Disable a staff account of the own operator; ends its sessions', security: bearer,
        params: StaffParams, response: { 200: Staff },
      },
    }, async (req) => staffJson(await staff.disableStaff(req.principal, req.params.staffId)));

    app.post('/v1/staff/:staffId/enable', {
      schema: {
        tags: ['staff'], summary: 'Enable a disabled staff account of the own operator again (its password is unchanged)', security: bearer,
        params: StaffParams, response: { 200: Staff },
      },
    }, async (req) => staffJson(await staff.enableStaff(req.principal, req.params.staffId)));

    app.post('/v1/staff/:staffId/password-reset', {
      schema: {
        tags: ['staff'], summary: 'Issue a new one-time password for a staff account of the own operator', security: bearer,
        description: 'For a forgotten password or a lockout: the old password stops working, the account\'s sessions end, its failed logins are forgotten, and the next login must set a new password. Not for the caller\'s own account.',
        params: StaffParams, response: { 200: Type.Object({ staff: Staff, oneTimePassword: OneTimePassword }) },
      },
    }, async (req) => {
      const { staff: account, oneTimePassword } = await staff.resetPassword(req.principal, req.params.staffId);
      return { staff: staffJson(account), oneTimePassword };
    });

    app.get('/v1/tenants/:tenantId/api-keys', {
      schema: {
        tags: ['api-keys'], summary: "List an operator's partner API keys (without secrets)", security: bearer,
        params: TenantParams, response: { 200: Type.Object({ items: Type.Array(ApiKey) }) },
      },
    }, async (req) => ({ items: (await staff.listApiKeys(req.principal, req.params.tenantId)).map(apiKeyJson) }));

    app.post('/v1/tenants/:tenantId/api-keys', {
      schema: {
        tags: ['api-keys'], summary: 'Create a partner API key; the key is returned once', security: bearer,
        params: TenantParams,
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: maxApiKeyNameLength }),
          scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: apiKeyScopes.length, uniqueItems: true }),
          rateLimitPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: maxRateLimitPerMinute })),
        }),
        response: { 201: Type.Object({ ...ApiKey.properties, key: Type.String({ description: 'Send as the x-api-key header; shown once' }) }) },
      },
    }, async (req, reply) => {
      const created = await staff.createApiKey(req.principal, req.params.tenantId, req.body);
      return reply.code(201).send({ ...apiKeyJson(created), key: created.key });
    });

    app.delete('/v1/api-keys/:keyId', {
      schema: {
        tags: ['api-keys'], summary: 'Revoke a partner API key', security: bearer,
        params: Type.Object({ keyId: Uuid }), response: { 204: NoContent },
      },
    }, async (req, reply) => {
      await staff.revokeApiKey(req.principal, req.params.keyId);
      return reply.code(204).send(null);
    });
  };
}
