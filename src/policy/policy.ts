/**
 * Per-operator policy: the settings (validated, with documented ranges and defaults) and the
 * pure rule check run before a number is assigned. The database enforces the same caps again
 * under lock when the number is taken (see numbers.repository.ts); this module explains *why*.
 */
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { DomainError } from '../errors/errors.ts';

export const PolicySettingsSchema = Type.Object({
  /** Active numbers one person may hold at this operator (1-100). MIIT: 5. */
  maxActiveNumbersPerPerson: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  /** Whether the formal transfer flow (both persons verified) is open. Off by default. */
  transferEnabled: Type.Boolean({ default: false }),
  /** Days a surrendered number waits before anyone else can get it (0-3650). */
  coolingOffDays: Type.Integer({ minimum: 0, maximum: 3650, default: 90 }),
  /** Hours a holder has to re-verify a flagged number before it is suspended (1-8760). */
  reverificationDeadlineHours: Type.Integer({ minimum: 1, maximum: 8760, default: 24 }),
  /** People younger than this (years) need a verified guardian (0 disables; up to 21). */
  minorAgeYears: Type.Integer({ minimum: 0, maximum: 21, default: 16 }),
  /** Target false-match rate of the face decision (1e-4 to 1e-2: what the shipped calibration can vouch for). */
  faceFalseMatchRate: Type.Number({ minimum: 1e-4, maximum: 1e-2, default: 1e-3 }),
  /** Minutes before an unfinished registration expires and its captures are deleted (1-1440). */
  sessionTtlMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
  /** Whether the non-face path (manual review by a store manager) is offered. */
  manualReviewEnabled: Type.Boolean({ default: true }),
  /** Days raw captures are kept after the decision (0 = deleted at once). */
  captureRetentionDays: Type.Integer({ minimum: 0, maximum: 365, default: 0 }),
}, { additionalProperties: false });

export type PolicySettings = Static<typeof PolicySettingsSchema>;

export const defaultPolicy: PolicySettings = Object.freeze(Value.Create(PolicySettingsSchema) as PolicySettings);

/** Stored settings (possibly partial, from an older version) merged over the defaults. */
export function resolvePolicy(stored: unknown): PolicySettings {
  const merged = { ...defaultPolicy, ...(typeof stored === 'object' && stored !== null ? stored : {}) };
  if (!Value.Check(PolicySettingsSchema, merged)) {
    const first = [...Value.Errors(PolicySettingsSchema, merged)][0];
    throw new DomainError('policy.invalid_settings', first ? `${first.instancePath || '/'}: ${first.message}` : undefined);
  }
  return merged;
}

/** Why a registration may not get a number. Stable codes, shown to agents and regulators. */
export type RuleRefusal =
  | 'policy.blocklisted'
  | 'policy.operator_cap_reached'
  | 'policy.deployment_cap_reached'
  | 'policy.guardian_required'
  | 'policy.guardian_not_adult'
  | 'policy.document_expired';

/** The age (years) a guardian must have reached, whatever the operator's minor age. */
export const guardianAdultAgeYears = 18;

/** Whether a person of `age` (from their document) needs a verified guardian at this operator; an unknown age does not. */
export function isMinor(age: number | undefined, policy: Pick<PolicySettings, 'minorAgeYears'>): boolean {
  return age !== undefined && age < policy.minorAgeYears;
}

export interface RuleInput {
  policy: PolicySettings;
  deploymentCap: number;
  /** Age in whole years on the registration date. */
  age: number | undefined;
  blocklisted: boolean;
  activeAtOperator: number;
  activeInDeployment: number;
  guardian: { verified: boolean; age: number | undefined } | undefined;
  documentExpired: boolean;
}

export interface RuleOutcome {
  passed: boolean;
  refusals: RuleRefusal[];
  minor: boolean;
  /** The counts the decision rested on, kept with the registration for inspection. */
  facts: { activeAtOperator: number; activeInDeployment: number; operatorCap: number; deploymentCap: number };
}

export function evaluateRules(input: RuleInput): RuleOutcome {
  const refusals: RuleRefusal[] = [];
  if (input.blocklisted) refusals.push('policy.blocklisted');
  if (input.documentExpired) refusals.push('policy.document_expired');
  if (input.activeAtOperator >= input.policy.maxActiveNumbersPerPerson) refusals.push('policy.operator_cap_reached');
  if (input.activeInDeployment >= input.deploymentCap) refusals.push('policy.deployment_cap_reached');
  const minor = isMinor(input.age, input.policy);
  if (minor) {
    if (!input.guardian?.verified) refusals.push('policy.guardian_required');
    else if (input.guardian.age === undefined || input.guardian.age < guardianAdultAgeYears) refusals.push('policy.guardian_not_adult');
  }
  return {
    passed: refusals.length === 0,
    refusals,
    minor,
    facts: {
      activeAtOperator: input.activeAtOperator,
      activeInDeployment: input.activeInDeployment,
      operatorCap: input.policy.maxActiveNumbersPerPerson,
      deploymentCap: input.deploymentCap,
    },
  };
}
