/**
 * Re-verification: the holder of a number must prove again, by a face or in-person
 * verification of the same document, that they hold it — because an operator runs a campaign
 * (e.g. over numbers registered at one store) or because the person whose ID a number is
 * registered under reported it as not theirs. Types and the pure rules live here.
 *
 * pending ──(holder verified)──▶ passed
 *    │                              ▲
 *    └──(deadline passed: number suspended)──▶ suspended ──(holder verified: number restored)
 * pending/suspended ──(number surrendered or transferred)──▶ cancelled
 */
import type { NumberState } from '../numbers/numbers.ts';

export const reverificationStatuses = ['pending', 'passed', 'suspended', 'cancelled'] as const;
export type ReverificationStatus = (typeof reverificationStatuses)[number];

/** The reason of a re-verification opened by a "not mine" report (campaigns carry their own). */
export const NOT_MINE_REASON = 'not_mine_report';
/** Reasons are codes (they reach audit events), never free text. */
export const reasonPattern = /^[a-z][a-z0-9_]{2,39}$/;
export const MAX_CAMPAIGN_MSISDNS = 10_000;

export interface Reverification {
  id: string;
  campaignId: string | null;
  tenantId: string;
  numberId: string;
  holderId: string;
  reason: string;
  status: ReverificationStatus;
  deadline: Date;
  createdAt: Date;
  resolvedAt: Date | null;
}

export interface Campaign {
  id: string;
  tenantId: string;
  name: string;
  reason: string;
  deadlineHours: number;
  createdBy: string | null;
  createdAt: Date;
}

export type StatusCounts = Record<ReverificationStatus, number> & { total: number };

export interface CampaignProgress extends Campaign { counts: StatusCounts }

export type SkipReason = 'number.invalid_format' | 'number.not_found' | 'number.not_held' | 'already_pending' | 'duplicate';

export type CampaignRow =
  | { msisdn: string; outcome: 'created'; reverificationId: string }
  | { msisdn: string; outcome: 'skipped'; reason: SkipReason };

export interface CampaignReport { campaign: Campaign; deadline: Date; created: number; skipped: number; rows: CampaignRow[] }

export function deadlineAfter(now: Date, hours: number): Date {
  return new Date(now.getTime() + hours * 3_600_000);
}

/** Why a number cannot be put under re-verification by `tenantId`, or undefined when it can. */
export function campaignSkipReason(n: { tenantId: string; state: NumberState; holderId: string | null } | undefined, tenantId: string): SkipReason | undefined {
  if (!n || n.tenantId !== tenantId) return 'number.not_found';
  if ((n.state !== 'active' && n.state !== 'suspended') || n.holderId === null) return 'number.not_held';
  return undefined;
}

export function emptyCounts(): StatusCounts {
  return { pending: 0, passed: 0, suspended: 0, cancelled: 0, total: 0 };
}
