/**
 * The `portrait` command: serve, migrate, id check, verify (faces), liveness analyze, audit verify, seed-demo.
 * Exit codes: 0 success (valid, verified), 1 a negative answer (invalid, broken), 2 bad usage
 * or input.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/config.ts';
import { runIdCheck } from '../documents/documents.cli.ts';
import { runAuditVerify } from '../audit/audit.cli.ts';
import { migrate } from '../db/migrate.ts';
import { createPortrait, openDatabase } from '../server/server.ts';
import { createFacePool } from '../face/face.pool.ts';
import { runFaceVerify } from '../face/face.cli.ts';
import { runLivenessAnalyze } from '../liveness/liveness.cli.ts';
import { describeSeed, isEmpty, seedDemo } from '../demo/seed-demo.ts';

const usage = `Usage: portrait <command>

  serve [--port N] [--host H] [--data-dir DIR] [--seed-demo]
                        run the server (PGlite in DIR unless DATABASE_URL is set);
                        --seed-demo seeds the demo operator when the database is empty
  migrate [--data-dir DIR]   apply database migrations and exit
  id check <number> [--type T] [--json] [--today YYYY-MM-DD]
                        validate an identity document number (exit 0 valid, 1 invalid)
  verify <id-photo> <live-photo> [--fmr 1e-3] [--json]
                        1:1 face match of a live photo against an ID photo
                        (exit 0 match, 1 no match, 2 bad input)
  liveness analyze <video-or-frame-folder> [--challenge a,b,c] [--json]
                        liveness analysis of a recording: actions found, passive score
                        (exit 0 live, 1 not live, 2 bad input)
  audit verify [--json] [--data-dir DIR]
                        recompute the audit hash chain (exit 0 intact, 1 broken)
  seed-demo [--data-dir DIR]  seed the demo operator into an empty database

Configuration comes from environment variables; see the README.`;

const out = { stdout: (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`), stderr: (s: string) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`) };

function configFrom(values: { port?: string; host?: string; 'data-dir'?: string }): Config {
  const env = { ...process.env };
  if (values.port !== undefined) env.PORT = values.port;
  if (values.host !== undefined) env.HOST = values.host;
  if (values['data-dir'] !== undefined) env.DATA_DIR = values['data-dir'];
  return loadConfig(env);
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, 'seed-demo': { type: 'boolean' } } });
  const config = configFrom(values);
  const face = config.faceEngine === 'onnx'
    ? await createFacePool({ size: config.faceWorkers, calibrationFile: config.faceCalibrationFile })
    : undefined;
  const portrait = await createPortrait(config, { face, liveness: face });
  if (values['seed-demo'] && await isEmpty(portrait.db)) out.stdout(describeSeed(await seedDemo(portrait.db, portrait.services.staff)));
  const address = await portrait.app.listen({ port: config.port, host: config.host });
  out.stdout([
    `Portrait is running on ${portrait.db.kind === 'pglite' ? `embedded PGlite (${config.dataDir})` : 'PostgreSQL'}.`,
    `  API          ${address}/v1`,
    `  API docs     ${address}/docs`,
    `  Health       ${address}/health`,
    `  Web apps     ${address}/ (store kiosk at ${address}/kiosk/)`,
    `  Face engine  ${face ? `${config.faceWorkers} worker threads (face match and liveness)` : 'none (FACE_ENGINE=none): manual review only'}`,
  ].join('\n'));
  const stop = async () => {
    await portrait.close();
    await face?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return new Promise<number>(() => undefined);
}

async function withDatabase(args: string[], fn: (config: Config, values: Record<string, unknown>) => Promise<number>, extra: Record<string, { type: 'boolean' | 'string' }> = {}): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, ...extra } });
  return fn(configFrom(values as { 'data-dir'?: string }), values);
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  try {
    switch (cmd) {
      case 'serve': return await serve(argv.slice(1));
      case 'migrate':
        return await withDatabase(argv.slice(1), async (config) => {
          const db = await openDatabase(config);
          try { out.stdout(`Applied migrations: ${(await migrate(db)).join(', ') || 'none (up to date)'}`); } finally { await db.close(); }
          return 0;
        });
      case 'id':
        if (sub !== 'check') break;
        return await runIdCheck(rest, out);
      case 'verify':
        return await runFaceVerify(argv.slice(1), out);
      case 'liveness':
        if (sub !== 'analyze') break;
        return await runLivenessAnalyze(rest, out);
      case 'audit':
        if (sub !== 'verify') break;
        return await withDatabase(rest, async (config, values) => {
          const db = await openDatabase(config);
          try { return await runAuditVerify(db, out, { json: values.json === true }); } finally { await db.close(); }
        }, { json: { type: 'boolean' } });
      case 'seed-demo':
        return await withDatabase(argv.slice(1), async (config) => {
          const portrait = await createPortrait(config, { background: false });
          try {
            if (!await isEmpty(portrait.db)) { out.stderr('The database already has operators; nothing seeded.'); return 1; }
            out.stdout(describeSeed(await seedDemo(portrait.db, portrait.services.staff)));
            return 0;
          } finally { await portrait.close(); }
        });
      case undefined: case 'help': case '--help': case '-h':
        out.stdout(usage);
        return cmd === undefined ? 2 : 0;
      default: break;
    }
  } catch (e) {
    if (e instanceof ConfigError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) { out.stderr((e as Error).message); return 2; }
    throw e;
  }
  out.stderr(usage);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
