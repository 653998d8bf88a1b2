/**
 * Number import, the pure part: reading a CSV file (`msisdn[,store_code]`, header optional,
 * LF or CRLF) or JSON rows into numbered rows, and sorting them into what can be inserted and
 * what cannot (invalid number, unknown store code, repeated in the file). No I/O here.
 */
import { DomainError } from '../errors/errors.ts';
import { normalizeMsisdn } from './numbers.ts';

export const MAX_IMPORT_ROWS = 100_000;

export type ImportStatus = 'imported' | 'duplicate' | 'invalid' | 'unknown_store';

/** One row as given: `line` is the line in the file (1-based, header counted) or the index in the JSON array + 1. */
export interface ImportInputRow { line: number; msisdn: string; storeCode?: string | undefined }

export interface ImportReportRow { line: number; msisdn: string; status: Exclude<ImportStatus, 'imported'>; message: string }

export interface ImportReport {
  imported: number;
  duplicate: number;
  invalid: number;
  unknownStore: number;
  /** The rows that were not imported, in line order. */
  rows: ImportReportRow[];
}

/** Rows ready to insert, grouped by store id ('' = the operator-wide pool). */
export interface ImportPlan {
  byStore: Map<string, { line: number; msisdn: string }[]>;
  rejected: ImportReportRow[];
}

const SHOWN_CHARS = 32;
const shown = (raw: string) => (raw.length > SHOWN_CHARS ? `${raw.slice(0, SHOWN_CHARS)}…` : raw);

/** Splits one CSV line into fields; double-quoted fields may hold commas and "" for a quote. */
function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let value = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) return undefined; // unterminated quote
        value += line.slice(i, q);
        i = q + 1;
        if (line[i] === '"') { value += '"'; i++; } else break;
      }
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const comma = line.indexOf(',', i);
      value = comma === -1 ? line.slice(i) : line.slice(i, comma);
      i = comma === -1 ? line.length : comma;
    }
    fields.push(value.trim());
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/**
 * Reads `msisdn[,store_code]` lines. A first line whose first field is `msisdn` (any case) is
 * a header; blank lines are skipped; a line with more than two fields or a broken quote is
 * reported as invalid. More than MAX_IMPORT_ROWS data lines: `request.too_large`.
 */
export function parseNumbersCsv(text: string): { rows: ImportInputRow[]; rejected: ImportReportRow[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const rows: ImportInputRow[] = [];
  const rejected: ImportReportRow[] = [];
  let seenContent = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line);
    const isFirst = !seenContent;
    seenContent = true;
    if (isFirst && fields?.[0]?.toLowerCase() === 'msisdn') continue;
    if (rows.length + rejected.length >= MAX_IMPORT_ROWS) throw new DomainError('request.too_large', `At most ${MAX_IMPORT_ROWS} numbers per import`);
    if (!fields || fields.length > 2) {
      rejected.push({ line: n + 1, msisdn: shown((fields?.[0] ?? line).trim()), status: 'invalid', message: 'Expected msisdn[,store_code]' });
      continue;
    }
    rows.push({ line: n + 1, msisdn: fields[0]!, ...(fields[1] ? { storeCode: fields[1] } : {}) });
  }
  return { rows, rejected };
}

/**
 * Sorts rows into inserts per store and rejections: invalid numbers, unknown store codes
 * (`storeIds`: code → id of the operator's stores) and numbers repeated in the input (the
 * first occurrence is kept). Numbers already in the database are found when inserting.
 */
export function planImport(rows: readonly ImportInputRow[], storeIds: ReadonlyMap<string, string>): ImportPlan {
  if (rows.length > MAX_IMPORT_ROWS) throw new DomainError('request.too_large', `At most ${MAX_IMPORT_ROWS} numbers per import`);
  const byStore = new Map<string, { line: number; msisdn: string }[]>();
  const rejected: ImportReportRow[] = [];
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const msisdn = normalizeMsisdn(row.msisdn);
    if (msisdn === undefined) {
      rejected.push({ line: row.line, msisdn: shown(row.msisdn), status: 'invalid', message: 'Not a phone number: 5-15 digits, optionally after +' });
      continue;
    }
    const storeId = row.storeCode ? storeIds.get(row.storeCode) : '';
    if (storeId === undefined) {
      rejected.push({ line: row.line, msisdn, status: 'unknown_store', message: `No store with code '${shown(row.storeCode ?? '')}' at this operator` });
      continue;
    }
    const earlier = firstLine.get(msisdn);
    if (earlier !== undefined) {
      rejected.push({ line: row.line, msisdn, status: 'duplicate', message: `Repeats line ${earlier}` });
      continue;
    }
    firstLine.set(msisdn, row.line);
    const group = byStore.get(storeId) ?? [];
    group.push({ line: row.line, msisdn });
    byStore.set(storeId, group);
  }
  return { byStore, rejected };
}

export function summarize(imported: number, rejected: ImportReportRow[]): ImportReport {
  const rows = [...rejected].sort((a, b) => a.line - b.line);
  const count = (s: ImportReportRow['status']) => rows.filter((r) => r.status === s).length;
  return { imported, duplicate: count('duplicate'), invalid: count('invalid'), unknownStore: count('unknown_store'), rows };
}
