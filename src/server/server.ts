/**
 * The composition root: from a validated Config to a running Portrait — database (PostgreSQL
 * or embedded PGlite), migrations, keys, services, HTTP routes, the audit sequencer and the
 * sweeper. The only place that knows every concept; each concept gets just what it uses.
 */
import { join } from 'node:path';
import type { Config } from '../config/config.ts';
import { openPglite, openPostgres, type Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createKeyring, loadMasterKey, type Keyring } from '../privacy/keyring.ts';
import { buildApp, type App } from '../http/app.ts';
import type { FaceVerifier } from '../face/face.ts';
import { startSequencer } from '../audit/audit.sequencer.ts';
import { auditRoutes } from '../audit/audit.routes.ts';
import { createStaffService } from '../staff/staff.service.ts';
import { createAuthenticator } from '../staff/staff.authenticate.ts';
import { staffRoutes } from '../staff/staff.routes.ts';
import { createRegistrationService } from '../registration/registration.service.ts';
import { registrationRoutes } from '../registration/registration.routes.ts';
import { createCapturesRepository } from '../registration/captures.repository.ts';
import { consentRoutes } from '../consent/consent.routes.ts';
import { createVerificationService } from '../verification/verification.service.ts';
import { verificationRoutes } from '../verification/verification.routes.ts';
import { createSubscribersService } from '../subscribers/subscribers.service.ts';
import { subscribersRoutes } from '../subscribers/subscribers.routes.ts';
import { createReverificationService } from '../reverification/reverification.service.ts';
import { reverificationRoutes } from '../reverification/reverification.routes.ts';
import { createTransfersService } from '../transfers/transfers.service.ts';
import { transfersRoutes } from '../transfers/transfers.routes.ts';
import { createTenantsService } from '../tenants/tenants.service.ts';
import { tenantsRoutes } from '../tenants/tenants.routes.ts';
import { createPolicyService } from '../policy/policy.service.ts';
import { policyRoutes } from '../policy/policy.routes.ts';
import { createNumbersService } from '../numbers/numbers.service.ts';
import { numbersRoutes } from '../numbers/numbers.routes.ts';
import { createBlocklistService } from '../blocklist/blocklist.service.ts';
import { blocklistRoutes } from '../blocklist/blocklist.routes.ts';
import { createStatisticsService } from '../statistics/statistics.service.ts';
import { statisticsRoutes } from '../statistics/statistics.routes.ts';
import { createSweeper, type SweepTask } from '../sweeper/sweeper.ts';
import { createLivenessService, type LivenessChecker } from '../liveness/liveness.service.ts';
import { livenessRoutes } from '../liveness/liveness.routes.ts';
import { defaultWebDir, webRoutes } from '../http/web.ts';

export const version = '0.1.0';

export interface PortraitOptions {
  /** The face engine; none = the face step answers 503 and manual review is the only path. */
  face?: FaceVerifier;
  /** Liveness analysis (the face engine's worker pool); the face step needs a passed session. */
  liveness?: LivenessChecker;
  clock?: () => Date;
  /** Start the audit sequencer and the sweeper (default true). */
  background?: boolean;
  warn?: (msg: string) => void;
  /** An already-open database (tests); otherwise opened from the config. */
  db?: Database;
  /** The built web apps (default web/dist of this checkout). */
  webDir?: string;
}

export interface Portrait {
  app: App;
  db: Database;
  keyring: Keyring;
  services: {
    staff: ReturnType<typeof createStaffService>; registrations: ReturnType<typeof createRegistrationService>;
    tenants: ReturnType<typeof createTenantsService>; liveness: ReturnType<typeof createLivenessService>;
  };
  sweep(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function openDatabase(config: Config): Promise<Database> {
  return config.databaseUrl ? openPostgres({ url: config.databaseUrl, max: 16 }) : openPglite(join(config.dataDir, 'pglite'));
}

export async function createPortrait(config: Config, opts: PortraitOptions = {}): Promise<Portrait> {
  const clock = opts.clock ?? (() => new Date());
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`WARNING: ${m}\n`));
  const db = opts.db ?? await openDatabase(config);
  await migrate(db);
  const keyring = createKeyring(loadMasterKey({ masterKey: config.masterKey, keyFile: config.keyFile ?? join(config.dataDir, 'portrait.key') }, warn));

  const staff = createStaffService({ db, keyring, clock, sessionTtlMinutes: config.staffSessionTtlMinutes });
  const liveness = createLivenessService({ db, keyring, clock, checker: opts.liveness, testHarness: config.testHarness, testChallenge: config.testChallenge });
  const registrations = createRegistrationService({
    db, keyring, clock, face: opts.face, liveness: opts.liveness ? liveness : undefined, deploymentCap: config.maxActiveNumbersPerPersonDeployment,
  });
  const captures = createCapturesRepository(keyring);
  const deploymentCap = config.maxActiveNumbersPerPersonDeployment;
  const verifications = createVerificationService({ db, keyring, clock, face: opts.face, liveness: opts.liveness ? liveness : undefined });
  const subscribers = createSubscribersService({ db, keyring, clock });
  const reverifications = createReverificationService({ db, clock });
  const transfers = createTransfersService({ db, keyring, clock, deploymentCap });
  const tenants = createTenantsService({ db, clock });
  const background = opts.background ?? true;
  let sequencer: ReturnType<typeof startSequencer> | undefined;
  const flush = async () => (sequencer ? sequencer.flush() : 0);

  const app = await buildApp({
    bodyLimitBytes: config.bodyLimitBytes,
    logLevel: config.logLevel,
    version,
    authenticate: createAuthenticator({ db, keyring, clock }),
    health: async () => {
      await db.query('SELECT 1');
      return { database: db.kind, faceEngine: opts.face ? 'ready' : 'none' };
    },
    routes: [
      staffRoutes({ staff }),
      consentRoutes(),
      registrationRoutes({ registrations }),
      livenessRoutes({ liveness }),
      verificationRoutes({ verifications }),
      subscribersRoutes({ subscribers }),
      reverificationRoutes({ reverifications }),
      transfersRoutes({ transfers }),
      tenantsRoutes({ tenants }),
      policyRoutes({ policy: createPolicyService({ db, clock }) }),
      numbersRoutes({ numbers: createNumbersService({ db, clock }) }),
      blocklistRoutes({ blocklist: createBlocklistService({ db, keyring, clock }) }),
      statisticsRoutes({ statistics: createStatisticsService({ db, clock }) }),
      auditRoutes({ db, flush }),
      webRoutes({ dir: opts.webDir ?? defaultWebDir }),
    ],
  });

  const tasks: SweepTask[] = [
    { name: 'registrations_expired', run: () => registrations.expireDue() },
    { name: 'captures_purged', run: () => captures.purge(db, clock()) },
    { name: 'liveness_swept', run: () => liveness.sweep() },
    { name: 'reverifications_suspended', run: () => reverifications.suspendOverdue(clock()) },
    { name: 'numbers_recycled', run: async () => { const r = await transfers.recycleNumbers(clock()); return r.recycled + r.released; } },
    { name: 'staff_sessions_purged', run: async () => { const r = await staff.purgeExpired(); return r.sessions + r.loginFailures; } },
  ];
  const sweeper = createSweeper(tasks, { log: app.log });
  if (background) {
    sequencer = startSequencer(db, { intervalMs: 200, log: app.log });
    sweeper.start(config.sweepIntervalSeconds * 1000);
  }

  return {
    app, db, keyring,
    services: { staff, registrations, tenants, liveness },
    sweep: () => sweeper.runOnce(),
    async close() {
      await sweeper.stop();
      await sequencer?.stop();
      await app.close();
      await db.close();
    },
  };
}
