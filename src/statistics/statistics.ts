/**
 * Registration statistics and anomaly flags for regulators and operators: the shapes of the
 * answers, the thresholds with their meaning, and the pure helpers (period, totals, opaque
 * document tokens). Every count is of registrations *started* in the period [from, to).
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../errors/errors.ts';

export const groupings = ['tenant', 'store', 'agent', 'day'] as const;
export type GroupBy = (typeof groupings)[number];

export interface RegistrationCounts {
  started: number;
  completed: number;
  rejected: number;
  /** Rejections by reason code (face.no_match, manual_review.rejected, policy.*, …). */
  rejectedByReason: Record<string, number>;
  expired: number;
  cancelled: number;
  /** Not ended yet. */
  open: number;
  /** Identity accepted by a store manager's manual review instead of the face match. */
  manualReviewApprovals: number;
  /** Face comparisons that did not match (all attempts but a final successful one). */
  faceAttemptsFailed: number;
  /** Liveness sessions of these registrations that the server refused (a registration may retry). */
  livenessFailed: number;
  /** Refused liveness sessions by their first (most specific) reason (liveness.static_face, …). */
  livenessFailedByReason: Record<string, number>;
}

export interface RegistrationGroup extends RegistrationCounts {
  /** tenant/store/agent id, or the UTC day YYYY-MM-DD. */
  key: string;
  /** Operator code, operator/store code, agent username, or the day. */
  label: string;
}

export const anomalyDefaults = {
  /** Distinct stores one document must start registrations at, within `documentWindowHours`, to be flagged. */
  documentStores: 3,
  documentWindowHours: 24,
  /** A store is flagged with MORE than this many registrations in any `burstWindowMinutes` window (1-10000). */
  burstThreshold: 30,
  burstWindowMinutes: 10,
  /** An agent is flagged with at least this many manual-review approvals in the period… */
  overrideApprovals: 5,
  /** …or when more than this share of their completed registrations went through manual review. */
  overrideShare: 0.2,
} as const;

export interface DocumentAnomaly {
  /** First 8 hex characters of SHA-256 of the document HMAC: tells findings apart, identifies no one. */
  token: string;
  storeCount: number;
  registrations: { id: string; tenantId: string; storeId: string; storeCode: string; createdAt: Date }[];
}

export interface BurstAnomaly { tenantId: string; storeId: string; storeCode: string; windowStart: Date; windowEnd: Date; registrations: number }

export interface AgentAnomaly {
  agentId: string; tenantId: string; storeId: string | null; username: string;
  manualReviewApprovals: number; completions: number; manualReviewCompletions: number;
  /** manualReviewCompletions / completions (0 when there are none). */
  manualReviewShare: number;
}

export interface Anomalies {
  documents: DocumentAnomaly[];
  bursts: BurstAnomaly[];
  agents: AgentAnomaly[];
}

export interface Period { from: Date; to: Date }

export const DEFAULT_PERIOD_DAYS = 7;
export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;

/** The period asked for: `to` defaults to now, `from` to `DEFAULT_PERIOD_DAYS` before `to`. */
export function resolvePeriod(from: Date | undefined, to: Date | undefined, now: Date): Period {
  for (const d of [from, to]) if (d && Number.isNaN(d.getTime())) throw new DomainError('request.invalid', 'Not a valid time');
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
  if (start.getTime() >= end.getTime()) throw new DomainError('request.invalid', '`from` must be before `to`');
  if (end.getTime() - start.getTime() > MAX_PERIOD_DAYS * DAY_MS) throw new DomainError('request.invalid', `The period may be at most ${MAX_PERIOD_DAYS} days`);
  return { from: start, to: end };
}

export function documentToken(docHmac: Buffer): string {
  return createHash('sha256').update(docHmac).digest('hex').slice(0, 8);
}

export function emptyCounts(): RegistrationCounts {
  return {
    started: 0, completed: 0, rejected: 0, rejectedByReason: {}, expired: 0, cancelled: 0, open: 0, manualReviewApprovals: 0, faceAttemptsFailed: 0,
    livenessFailed: 0, livenessFailedByReason: {},
  };
}

const numericKeys = ['started', 'completed', 'rejected', 'expired', 'cancelled', 'open', 'manualReviewApprovals', 'faceAttemptsFailed', 'livenessFailed'] as const;
const addTo = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [reason, n] of Object.entries(from)) into[reason] = (into[reason] ?? 0) + n;
};

export function sumCounts(groups: readonly RegistrationCounts[]): RegistrationCounts {
  const total = emptyCounts();
  for (const g of groups) {
    for (const k of numericKeys) total[k] += g[k];
    addTo(total.rejectedByReason, g.rejectedByReason);
    addTo(total.livenessFailedByReason, g.livenessFailedByReason);
  }
  return total;
}
