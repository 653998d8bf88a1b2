/**
 * The formal transfer (过户) and surrender of a number, as types and pure rules. A number's
 * holder changes only here (or by a registration): both people verified (face or in person),
 * the new holder within the operator's rules, every step recorded in `transfers` and in the
 * holdings history. Surrender puts the number into cooling-off; the sweeper recycles it later.
 */
import { evaluateRules, type PolicySettings, type RuleRefusal } from '../policy/policy.ts';

export interface TransferInput {
  msisdn: string;
  /** A `transfer` verification of the current holder. */
  fromVerificationId: string;
  /** A `transfer` verification of the new holder. */
  toVerificationId: string;
}

export interface TransferDone { transferId: string; numberId: string; msisdn: string; at: Date }

export interface SurrenderInput { msisdn: string; verificationId: string }

export interface SurrenderDone { numberId: string; msisdn: string; state: 'cooling_off'; coolingOffUntil: Date }

export interface Holding {
  subscriberId: string;
  startedAt: Date;
  endedAt: Date | null;
  startedBy: 'registration' | 'transfer';
  endedBy: 'surrender' | 'transfer' | 'reclaimed' | null;
  sourceId: string | null;
}

export interface NewHolderFacts {
  policy: PolicySettings;
  deploymentCap: number;
  age: number | undefined;
  blocklisted: boolean;
  heldAtOperator: number;
  heldInDeployment: number;
  documentExpired: boolean;
}

/**
 * Why the new holder may not take the number: the same rules as a registration (caps,
 * blocklist, expired document), and a minor is refused outright because the transfer flow
 * has no guardian step — a minor gets a number by registration with a guardian.
 */
export function transferRefusals(f: NewHolderFacts): RuleRefusal[] {
  return evaluateRules({
    policy: f.policy, deploymentCap: f.deploymentCap, age: f.age, blocklisted: f.blocklisted,
    activeAtOperator: f.heldAtOperator, activeInDeployment: f.heldInDeployment, guardian: undefined, documentExpired: f.documentExpired,
  }).refusals;
}
