/**
 * Pair lists in the LFW format: a header `folds<TAB>n` (or just `n`, one fold), then per fold
 * n same-person lines `name n1 n2` followed by n different-person lines `name1 n1 name2 n2`.
 * Images are `<dir>/<name>/<name>_<NNNN>.jpg`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Pair { fold: number; same: boolean; a: string; b: string }

const image = (dir: string, name: string, n: string) => path.join(dir, name, `${name}_${n.padStart(4, '0')}.jpg`);
const isCount = (s: string | undefined) => s !== undefined && /^\d+$/.test(s);

export function parsePairs(text: string, imagesDir: string): Pair[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const header = lines[0]?.split(/\s+/) ?? [];
  let folds = 1, perFold = Infinity, start = 0;
  if (header.length <= 2 && header.every(isCount)) {
    start = 1;
    if (header.length === 2) { folds = Number(header[0]); perFold = Number(header[1]); } else perFold = Number(header[0]);
  }
  const pairs: Pair[] = [];
  for (let i = start; i < lines.length; i++) {
    const f = lines[i]!.split(/\s+/);
    const k = i - start;
    const fold = Number.isFinite(perFold) ? Math.floor(k / (2 * perFold)) + 1 : 1;
    const expectSame = Number.isFinite(perFold) ? k % (2 * perFold) < perFold : f.length === 3;
    if (f.length === 3 && isCount(f[1]) && isCount(f[2]) && expectSame) pairs.push({ fold, same: true, a: image(imagesDir, f[0]!, f[1]!), b: image(imagesDir, f[0]!, f[2]!) });
    else if (f.length === 4 && isCount(f[1]) && isCount(f[3]) && !expectSame) pairs.push({ fold, same: false, a: image(imagesDir, f[0]!, f[1]!), b: image(imagesDir, f[2]!, f[3]!) });
    else throw new Error(`pairs line ${i + 1}: expected ${expectSame ? '"name n1 n2"' : '"name1 n1 name2 n2"'}, got "${lines[i]}"`);
  }
  if (Number.isFinite(perFold) && pairs.length !== folds * perFold * 2) {
    throw new Error(`pairs: header announces ${folds} folds of ${perFold}+${perFold} pairs, found ${pairs.length} pairs`);
  }
  return pairs;
}

export async function readPairs(pairsFile: string, imagesDir: string): Promise<Pair[]> {
  return parsePairs(await readFile(pairsFile, 'utf8'), imagesDir);
}
