/**
 * CLI handler for `portrait id check <number> [--type T] [--json] [--today YYYY-MM-DD]`.
 * `argv` holds the arguments after `id check` (a leading "id", "check" is tolerated). Several
 * positional arguments are joined with line breaks, so MRZ lines can be given one per argument.
 * Exit codes: 0 valid, 1 invalid, 2 usage error. With --json exactly one JSON object is printed.
 */
import { ageOn, checkDocument, detectDocumentType, documentTypes, documentTypeLabels, isDocumentType, type DocumentCheck } from './documents.ts';
import { resolveToday } from './documents.dates.ts';
import { documentError } from './documents.errors.ts';

export const idCheckUsage = `Usage: portrait id check <number> [--type T] [--json] [--today YYYY-MM-DD]

Checks an identity document number: format, check digit, birth date, region, expiry.
An MRZ can be given as one quoted argument with line breaks or one argument per line.

Options:
  --type T      one of: ${documentTypes.join(', ')}
                (default: detected from the number)
  --json        print one JSON object instead of text
  --today D     judge dates (future birth date, expiry, age) as of D instead of today

Exit status: 0 valid, 1 invalid, 2 usage error.`;

interface Parsed {
  positionals: string[];
  type?: string;
  json: boolean;
  today?: string;
  help: boolean;
}

function parseArgs(argv: string[]): Parsed | string {
  const args = argv[0] === 'id' && argv[1] === 'check' ? argv.slice(2) : [...argv];
  const out: Parsed = { positionals: [], json: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name === '--json') out.json = true;
    else if (name === '--help' || name === '-h') out.help = true;
    else if (name === '--type' || name === '--today') {
      const v = inline ?? args[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) return `${name} needs a value`;
      if (name === '--type') out.type = v;
      else out.today = v;
    } else if (arg === '--') {
      out.positionals.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg.length > 1) return `unknown option ${arg}`;
    else out.positionals.push(arg);
  }
  return out;
}

function toJson(r: DocumentCheck): string {
  return JSON.stringify({
    type: r.type,
    valid: r.valid,
    normalized: r.normalized,
    birthDate: r.birthDate ?? null,
    sex: r.sex ?? null,
    region: r.region ?? null,
    ...(r.type === 'passport_mrz' ? { name: r.name ?? null, nationality: r.nationality ?? null, expiryDate: r.expiryDate ?? null } : {}),
    ...(r.type === 'foreign_permanent_resident_id' ? { nationality: r.nationality ?? null } : {}),
    errors: r.errors.map((e) => (e.field ? { code: e.code, message: e.message, field: e.field } : { code: e.code, message: e.message })),
  });
}

function toText(r: DocumentCheck, today: string): string {
  const rows: [string, string][] = [
    ['Type', `${r.type} (${documentTypeLabels[r.type]})`],
    ['Number', r.normalized || '(empty)'],
    ['Valid', r.valid ? 'yes' : 'no'],
  ];
  if (r.name) rows.push(['Name', r.name]);
  if (r.birthDate) rows.push(['Birth date', `${r.birthDate} (age ${ageOn(r.birthDate, today)})`]);
  if (r.sex) rows.push(['Sex', r.sex]);
  if (r.region) rows.push(['Region', `${r.region.code} ${r.region.name}${r.region.historic ? ' (historic code)' : ''}`]);
  if (r.nationality) rows.push(['Nationality', r.nationality]);
  if (r.expiryDate) rows.push(['Expiry date', r.expiryDate]);
  rows.push(['Errors', r.errors.length === 0 ? 'none' : '']);
  const lines = rows.map(([k, v]) => `${`${k}:`.padEnd(13)}${v}`.trimEnd());
  for (const e of r.errors) lines.push(`  - ${e.code}: ${e.message}`);
  return lines.join('\n');
}

export async function runIdCheck(argv: string[], out: { stdout: (s: string) => void }): Promise<number> {
  const parsed = parseArgs(argv);
  // when parsing failed, a "--json" anywhere still selects JSON output
  const json = typeof parsed === 'string' ? argv.includes('--json') : parsed.json;
  const usage = (message: string): number => {
    out.stdout(json ? JSON.stringify({ valid: false, error: { code: 'usage', message } }) : `${message}\n\n${idCheckUsage}`);
    return 2;
  };
  if (typeof parsed === 'string') return usage(parsed);
  if (parsed.help) {
    out.stdout(json ? JSON.stringify({ usage: idCheckUsage }) : idCheckUsage);
    return 0;
  }
  if (parsed.positionals.length === 0) return usage('missing <number>');
  let today: string;
  try {
    today = resolveToday(parsed.today);
  } catch {
    return usage('--today must be a real date in the form YYYY-MM-DD');
  }
  const value = parsed.positionals.join('\n');
  let type = parsed.type;
  if (type !== undefined && !isDocumentType(type)) return usage(`unknown document type "${type}"; expected one of ${documentTypes.join(', ')}`);
  type ??= detectDocumentType(value);
  if (type === undefined || !isDocumentType(type)) {
    const e = documentError('document.unrecognized', { detail: 'Give --type to check it as a specific document.' });
    out.stdout(json
      ? JSON.stringify({ type: null, valid: false, normalized: value, birthDate: null, sex: null, region: null, errors: [e] })
      : `Type:        unknown\nValid:       no\nErrors:\n  - ${e.code}: ${e.message}`);
    return 1;
  }
  const result = checkDocument(type, value, { today });
  out.stdout(json ? toJson(result) : toText(result, today));
  return result.valid ? 0 : 1;
}
