/**
 * Pair lists in the LFW `pairs.txt` format, read into absolute image paths.
 *
 *   header     `folds<TAB>n` (e.g. `8	300`), or just `n` (one fold), or absent
 *   per fold   n same-person lines `name n1 n2`, then n different-person lines `name1 n1 name2 n2`
 *   images     `<imagesDir>/<name>/<name>_<NNNN>.jpg`, the number zero-padded to 4 digits
 *
 * Fields may be separated by tabs or spaces; blank lines are ignored. Without a header every
 * line is taken by its field count and everything is fold 1. With a header the position of a
 * line says which kind it must be, so a list that lost or gained a line fails loudly instead of
 * silently shifting every later pair into the wrong fold.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Pair { fold: number; same: boolean; a: string; b: string }

const isCount = (s: string | undefined): s is string => s !== undefined && /^\d+$/.test(s);
// A name is anything that is not a bare number: a header-like line in the body must not pass as a person.
const isName = (s: string | undefined): s is string => s !== undefined && s !== '' && !isCount(s);
const imageNumber = (s: string | undefined): s is string => isCount(s) && Number(s) >= 1;

function imagePath(dir: string, name: string, n: string): string {
  return path.resolve(dir, name, `${name}_${String(Number(n)).padStart(4, '0')}.jpg`);
}

/** The pairs of `text` in file order; throws an Error naming the first bad line (1-based, counting blank lines). */
export function parsePairs(text: string, imagesDir: string): Pair[] {
  const lines = text.split(/\r?\n/).map((raw, i) => ({ no: i + 1, fields: raw.trim() === '' ? [] : raw.trim().split(/\s+/), raw: raw.trim() }))
    .filter((l) => l.fields.length > 0);
  const header = lines[0]?.fields ?? [];
  let folds = 1, perFold = Infinity, body = lines;
  if (header.length <= 2 && header.length > 0 && header.every(isCount)) {
    [folds, perFold] = header.length === 2 ? [Number(header[0]), Number(header[1])] : [1, Number(header[0])];
    if (folds < 1 || perFold < 1) throw new Error(`pairs line ${lines[0]!.no}: header "${lines[0]!.raw}" announces no pairs`);
    body = lines.slice(1);
  }
  const counted = Number.isFinite(perFold);
  const pairs: Pair[] = [];
  body.forEach((line, k) => {
    if (counted && k >= folds * perFold * 2) {
      throw new Error(`pairs line ${line.no}: the header announces ${folds} fold(s) of ${perFold}+${perFold} pairs, but the list goes on`);
    }
    const f = line.fields;
    const expectSame = counted ? k % (2 * perFold) < perFold : f.length === 3;
    const fold = counted ? Math.floor(k / (2 * perFold)) + 1 : 1;
    if (expectSame && f.length === 3 && isName(f[0]) && imageNumber(f[1]) && imageNumber(f[2])) {
      pairs.push({ fold, same: true, a: imagePath(imagesDir, f[0], f[1]), b: imagePath(imagesDir, f[0], f[2]) });
    } else if (!expectSame && f.length === 4 && isName(f[0]) && imageNumber(f[1]) && isName(f[2]) && imageNumber(f[3])) {
      pairs.push({ fold, same: false, a: imagePath(imagesDir, f[0], f[1]), b: imagePath(imagesDir, f[2], f[3]) });
    } else {
      const want = expectSame ? 'a same-person line "name n1 n2"' : 'a different-person line "name1 n1 name2 n2"';
      throw new Error(`pairs line ${line.no}: expected ${want}${counted ? ` (fold ${fold})` : ''}, got "${line.raw}"`);
    }
  });
  if (counted && pairs.length !== folds * perFold * 2) {
    throw new Error(`pairs line ${lines[0]!.no}: the header announces ${folds} fold(s) of ${perFold}+${perFold} pairs, the list has ${pairs.length} pairs`);
  }
  return pairs;
}

/** `parsePairs` on a file; errors name the file too. */
export async function readPairs(pairsFile: string, imagesDir: string): Promise<Pair[]> {
  const text = await readFile(pairsFile, 'utf8');
  try {
    return parsePairs(text, imagesDir);
  } catch (e) {
    throw new Error(`${pairsFile}: ${(e as Error).message}`, { cause: e });
  }
}
