/**
 * GB/T 2260 region lookup for ID-number prefixes. Loads data/gb2260-regions.json once at
 * import (the only I/O of the documents module) and answers: is this 6-digit code in the
 * list at any time, what was it called in a given year, and is it still current.
 */
import { readFileSync } from 'node:fs';
import type { Region } from './documents.types.ts';

interface Period {
  name: string;
  from: number | null;
  to: number | null;
}
interface Entry {
  current: boolean;
  periods: Period[];
}

const placeholderNames = new Set(['市辖区', '县', '省直辖县级行政单位', '省直辖行政单位', '自治区直辖县级行政单位']);

function load(): Map<string, Entry> {
  const raw: unknown = JSON.parse(readFileSync(new URL('./data/gb2260-regions.json', import.meta.url), 'utf8'));
  const regions = (raw as { regions?: unknown }).regions;
  if (typeof regions !== 'object' || regions === null) throw new Error('gb2260-regions.json: no "regions" object');
  const out = new Map<string, Entry>();
  for (const [code, row] of Object.entries(regions as Record<string, unknown>)) {
    if (!/^\d{6}$/.test(code) || !Array.isArray(row) || row.length < 4 || (row.length - 1) % 3 !== 0) {
      throw new Error(`gb2260-regions.json: bad entry ${code}`);
    }
    const periods: Period[] = [];
    for (let i = 1; i < row.length; i += 3) {
      periods.push({ name: String(row[i]), from: row[i + 1] as number | null, to: row[i + 2] as number | null });
    }
    out.set(code, { current: row[0] === 1, periods });
  }
  return out;
}

const regions = load();

/** Number of codes in the shipped list (current and historic). */
export const regionCount = regions.size;

/** True if the code appears in the GB/T 2260 list at any time. */
export function isKnownRegion(code: string): boolean {
  return regions.has(code);
}

/** Name in force in `year`; otherwise the nearest period (first one before, last one after). */
function nameIn(entry: Entry, year: number | undefined): string {
  const ps = entry.periods;
  if (year !== undefined) {
    const hit = ps.filter((p) => (p.from ?? -Infinity) <= year && year <= (p.to ?? Infinity)).pop();
    if (hit) return hit.name;
    const first = ps[0];
    if (first?.from !== null && first?.from !== undefined && year < first.from) return first.name;
  }
  return ps[ps.length - 1]?.name ?? '';
}

/**
 * The region for a 6-digit code, named province → prefecture → county as in `year`
 * (usually the birth year). Undefined if the code was never in the list.
 */
export function lookupRegion(code: string, year?: number): Region | undefined {
  const entry = regions.get(code);
  if (!entry) return undefined;
  const parts: string[] = [];
  const provinceCode = `${code.slice(0, 2)}0000`;
  const prefectureCode = `${code.slice(0, 4)}00`;
  const province = regions.get(provinceCode);
  if (province && provinceCode !== code) parts.push(nameIn(province, year));
  const prefecture = regions.get(prefectureCode);
  if (prefecture && prefectureCode !== code && prefectureCode !== provinceCode) {
    const name = nameIn(prefecture, year);
    if (!placeholderNames.has(name)) parts.push(name);
  }
  const own = nameIn(entry, year);
  if (parts[parts.length - 1] !== own) parts.push(own);
  return { code, name: parts.join(''), historic: !entry.current };
}

/** The province-level entry (xx0000) for the first two digits, if that province exists. */
export function lookupProvince(twoDigits: string): Region | undefined {
  return /^\d{2}$/.test(twoDigits) ? lookupRegion(`${twoDigits}0000`) : undefined;
}
