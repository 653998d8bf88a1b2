/**
 * The one typed configuration object: read from the environment, validated at start-up,
 * frozen. Every setting documents its meaning and range next to its default; the README's
 * configuration table is checked against `configSpec` by a test.
 */
import { livenessActions, type LivenessAction } from '../liveness/challenge.ts';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly keyFile: string | undefined;
  readonly masterKey: string | undefined;
  readonly staffSessionTtlMinutes: number;
  readonly maxActiveNumbersPerPersonDeployment: number;
  readonly sweepIntervalSeconds: number;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  readonly testHarness: boolean;
  readonly testChallenge: readonly LivenessAction[] | undefined;
  readonly faceEngine: 'onnx' | 'none';
  readonly faceWorkers: number;
  readonly faceCalibrationFile: string | undefined;
}

interface Spec<K extends keyof Config> {
  env: string;
  key: K;
  description: string;
  default: Config[K];
  parse: (raw: string) => Config[K];
}

function int(min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`must be an integer from ${min} to ${max}`);
    return n;
  };
}
const text = (raw: string): string => raw;
function oneOf<T extends string>(values: readonly T[]) {
  return (raw: string): T => {
    if (!(values as readonly string[]).includes(raw)) throw new Error(`must be one of ${values.join(', ')}`);
    return raw as T;
  };
}
const optionalText = (raw: string): string | undefined => (raw === '' ? undefined : raw);
function bool(raw: string): boolean {
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', ''].includes(raw.toLowerCase())) return false;
  throw new Error('must be true or false');
}

/** A comma-separated list of 1-3 distinct liveness actions. */
function actionList(raw: string): readonly LivenessAction[] | undefined {
  if (raw === '') return undefined;
  const actions = raw.split(',').map((a) => a.trim());
  const unknown = actions.filter((a) => !(livenessActions as readonly string[]).includes(a));
  if (unknown.length > 0) throw new Error(`unknown action ${unknown.join(', ')}; known: ${livenessActions.join(', ')}`);
  if (actions.length > 3 || new Set(actions).size !== actions.length) throw new Error('must list 1-3 distinct actions');
  return Object.freeze(actions as LivenessAction[]);
}

/** Every environment variable Portrait reads. Order = order in the README table. */
export const configSpec: Spec<keyof Config>[] = [
  { env: 'PORT', key: 'port', description: 'HTTP port of the server (1-65535).', default: 8080, parse: int(0, 65535) },
  { env: 'HOST', key: 'host', description: 'Interface the server listens on.', default: '127.0.0.1', parse: text },
  {
    env: 'DATABASE_URL', key: 'databaseUrl', default: undefined, parse: optionalText,
    description: 'PostgreSQL connection string. Unset: embedded PGlite in `DATA_DIR`.',
  },
  { env: 'DATA_DIR', key: 'dataDir', description: 'Folder for the embedded PGlite database and the key file.', default: './data', parse: text },
  {
    env: 'PORTRAIT_MASTER_KEY', key: 'masterKey', default: undefined, parse: optionalText,
    description: '64 hex characters (32 bytes): root key for PII encryption and ID lookup hashes. Unset: read or create `PORTRAIT_KEY_FILE`.',
  },
  {
    env: 'PORTRAIT_KEY_FILE', key: 'keyFile', default: undefined, parse: optionalText,
    description: 'Key file used when `PORTRAIT_MASTER_KEY` is unset. Default `DATA_DIR/portrait.key`, created (mode 0600) on first start with a warning.',
  },
  {
    env: 'STAFF_SESSION_TTL_MINUTES', key: 'staffSessionTtlMinutes', default: 720, parse: int(5, 7 * 24 * 60),
    description: 'Lifetime of a staff login session in minutes (5-10080). Registration sessions expire by each operator\'s policy (`sessionTtlMinutes`, default 15).',
  },
  {
    env: 'MAX_ACTIVE_NUMBERS_PER_PERSON', key: 'maxActiveNumbersPerPersonDeployment', default: 10, parse: int(1, 1000),
    description: 'Cap on active numbers per person across all operators of this deployment (1-1000).',
  },
  {
    env: 'SWEEP_INTERVAL_SECONDS', key: 'sweepIntervalSeconds', default: 30, parse: int(1, 3600),
    description: 'How often the sweeper expires sessions, deletes captures, suspends overdue re-verifications and recycles numbers (1-3600).',
  },
  {
    env: 'BODY_LIMIT_BYTES', key: 'bodyLimitBytes', default: 1_048_576, parse: int(1024, 64 * 1_048_576),
    description: 'Largest accepted request body in bytes (1 KiB-64 MiB).',
  },
  {
    env: 'FACE_ENGINE', key: 'faceEngine', default: 'onnx', parse: oneOf(['onnx', 'none'] as const),
    description: '`onnx`: the built-in engine (models from npm packages, see docs/MODELS.md) runs the face step. `none`: no engine; the face step answers 503 and manual review is the only path.',
  },
  {
    env: 'FACE_WORKERS', key: 'faceWorkers', default: 2, parse: int(1, 16),
    description: 'Worker threads of the face engine (1-16); each loads its own copy of the models: about 90 MB of memory per worker (130 MB for the first, with the ONNX Runtime library).',
  },
  {
    env: 'FACE_CALIBRATION_FILE', key: 'faceCalibrationFile', default: undefined, parse: optionalText,
    description: 'Calibration file (score → false-match rate) written by `npm run calibrate`. Default: the one shipped in `src/face/calibration/`.',
  },
  { env: 'LOG_LEVEL', key: 'logLevel', description: 'fatal, error, warn, info, debug, trace or silent.', default: 'info', parse: text },
  {
    env: 'PORTRAIT_TEST_HARNESS', key: 'testHarness', default: false, parse: bool,
    description: 'Test harness only: allows injected face and liveness results and fixed liveness challenge actions. Refused when NODE_ENV=production.',
  },
  {
    env: 'PORTRAIT_TEST_CHALLENGE', key: 'testChallenge', default: undefined, parse: actionList,
    description: 'Test harness only: every liveness challenge asks these actions in this order (comma-separated, e.g. `turn_left,turn_right`), so a browser test knows what its fake camera must show. Needs `PORTRAIT_TEST_HARNESS`; refused when NODE_ENV=production.',
  },
];

export class ConfigError extends Error {}

/** Reads the environment into a frozen Config; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const spec of configSpec) {
    const raw = env[spec.env];
    if (raw === undefined) { out[spec.key] = spec.default; continue; }
    try { out[spec.key] = spec.parse(raw.trim()); } catch (e) { problems.push(`${spec.env}: ${(e as Error).message}`); }
  }
  Object.assign(out, overrides);
  const cfg = out as unknown as Config;
  if (cfg.masterKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(cfg.masterKey)) problems.push('PORTRAIT_MASTER_KEY: must be 64 hex characters');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(cfg.logLevel)) problems.push('LOG_LEVEL: unknown level');
  if (cfg.testHarness && env.NODE_ENV === 'production') problems.push('PORTRAIT_TEST_HARNESS: refused when NODE_ENV=production');
  if (cfg.testChallenge && env.NODE_ENV === 'production') problems.push('PORTRAIT_TEST_CHALLENGE: refused when NODE_ENV=production');
  else if (cfg.testChallenge && !cfg.testHarness) problems.push('PORTRAIT_TEST_CHALLENGE: needs PORTRAIT_TEST_HARNESS=true');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze(cfg);
}

/** For the README check: the table rows as they should appear. */
export function configTableRows(): string[] {
  return configSpec.map((s) => `| \`${s.env}\` | ${s.default === undefined ? '(unset)' : `\`${String(s.default)}\``} | ${s.description} |`);
}
