/**
 * HTTP routes of an operator's policy settings. The update body is validated by the service
 * (not by the route schema), so every bad setting answers `policy.invalid_settings` with the
 * failing `field`, whatever is wrong with it.
 */
import { Type } from 'typebox';
import type { RouteRegistrar } from '../http/app.ts';
import { PolicySettingsSchema } from './policy.ts';
import type { PolicyService } from './policy.service.ts';
import { Problem } from '../http/schemas.ts';

export interface PolicyRoutesDeps {
  policy: PolicyService;
}

const Params = Type.Object({ tenantId: Type.String({ format: 'uuid' }) });
const PolicyOut = Type.Object({ tenantId: Type.String(), settings: PolicySettingsSchema });
const Change = Type.Object({ setting: Type.String(), from: Type.Unknown(), to: Type.Unknown() });

const settingsDoc = Object.entries(PolicySettingsSchema.properties)
  .map(([k, s]) => `\`${k}\` (${(s as { type: string }).type}${'minimum' in s ? `, ${String(s.minimum)}-${String((s as { maximum?: number }).maximum)}` : ''})`)
  .join(', ');

const tags = ['policy'];
const security = [{ bearer: [] }];

export function policyRoutes(deps: PolicyRoutesDeps): RouteRegistrar {
  const { policy } = deps;
  return (app) => {
    app.get('/v1/tenants/:tenantId/policy', {
      schema: { tags, security, summary: 'Policy settings of an operator (operator admin: own; regulator: any)', params: Params, response: { 200: PolicyOut, '4xx': Problem } },
    }, async (req) => policy.getPolicy(req.principal, req.params.tenantId));

    app.put('/v1/tenants/:tenantId/policy', {
      schema: {
        tags, security, params: Params,
        summary: 'Change some policy settings (operator admin, own operator); each change is audited',
        description: `A partial object merged over the current settings. Settings: ${settingsDoc}. `
          + 'An unknown setting or a bad value answers 400 `policy.invalid_settings` with `field`.',
        body: Type.Object({}, { additionalProperties: true, description: 'Settings to change' }),
        response: { 200: Type.Object({ ...PolicyOut.properties, changes: Type.Array(Change) }), '4xx': Problem },
      },
    }, async (req) => policy.updatePolicy(req.principal, req.params.tenantId, req.body));
  };
}
