/**
 * `portrait audit verify`: chains pending events, verifies the whole audit chain and prints
 * a summary (events checked, head hash) or the first broken link. Exit code 0 when the
 * chain is intact, 1 when it is broken. With `json`, prints the verify result as one line
 * of JSON instead. The CLI entry point (src/cli) opens the database and calls this.
 */
import type { Database } from '../db/database.ts';
import { verifyAuditChain } from './audit.verify.ts';

export interface CliOutput { stdout(s: string): void; stderr(s: string): void }

export async function runAuditVerify(db: Database, out: CliOutput, opts: { json: boolean }): Promise<number> {
  const result = await verifyAuditChain(db);
  if (opts.json) {
    out.stdout(`${JSON.stringify(result)}\n`);
  } else if (result.ok) {
    out.stdout(`Audit chain intact: ${result.events} event${result.events === 1 ? '' : 's'} verified.\nHead hash: ${result.head}\n`);
  } else {
    const b = result.firstBroken;
    out.stderr(
      `Audit chain BROKEN at seq ${b.seq}${b.id === null ? '' : ` (event id ${b.id})`}: ${b.problem}\n` +
      `  ${b.detail}\n` +
      `  ${result.events} event${result.events === 1 ? '' : 's'} before it verified intact.\n`);
  }
  return result.ok ? 0 : 1;
}
