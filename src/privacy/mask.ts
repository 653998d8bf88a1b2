/**
 * Masking for screens, receipts and API answers: enough for a person to recognise their own
 * data, not enough to learn someone else's. Full values never leave the service layer.
 */

/** 110105********123X — first 6 and last 4 characters of longer numbers. */
export function maskDocumentNumber(n: string): string {
  if (n.length <= 6) return `${n.slice(0, 1)}${'*'.repeat(Math.max(n.length - 2, 1))}${n.slice(-1)}`;
  if (n.length <= 10) return `${n.slice(0, 2)}${'*'.repeat(n.length - 4)}${n.slice(-2)}`;
  return `${n.slice(0, 6)}${'*'.repeat(n.length - 10)}${n.slice(-4)}`;
}

/** 张*三, 欧阳** / J*** S****: first character of each part kept. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (/^[\p{Script=Han}·]+$/u.test(name.trim())) {
    if (chars.length <= 2) return `${chars[0]}*`;
    return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
  }
  return name.trim().split(/([\s,<-]+)/).map((part) => (/^[\s,<-]+$/.test(part) || part.length === 0 ? part : `${[...part][0]}${'*'.repeat([...part].length - 1)}`)).join('');
}
