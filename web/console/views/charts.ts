/**
 * Small charts drawn as HTML (no chart library): horizontal bars with their numbers written
 * beside them, so a chart is readable without colour and copies as text.
 */
import { h } from '../../shared/dom.ts';

export interface Segment { value: number; kind: 'ok' | 'bad' | 'warn' | 'muted'; label: string }

/** One row per item: its label, a bar split into segments, and the total. */
export function stackedBars(rows: { label: string; segments: Segment[] }[], caption: string): HTMLElement {
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((a, s) => a + s.value, 0)));
  return h('figure', { class: 'chart' },
    h('figcaption', null, caption),
    rows.map((r) => {
      const total = r.segments.reduce((a, s) => a + s.value, 0);
      return h('div', { class: 'row' },
        h('span', { class: 'label', title: r.label }, r.label),
        h('span', { class: 'track' }, r.segments.filter((s) => s.value > 0).map((s) =>
          h('span', { class: `seg ${s.kind}`, style: `width:${(100 * s.value) / max}%`, title: `${s.label}: ${s.value}` }))),
        h('span', { class: 'num' }, String(total)));
    }));
}

/** Counts by reason, largest first, as bars. */
export function reasonBars(counts: Record<string, number>, text: (code: string) => string, caption: string, kind: Segment['kind'] = 'bad'): HTMLElement {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return stackedBars(rows.map(([code, n]) => ({ label: text(code), segments: [{ value: n, kind, label: code }] })), caption);
}

/** A legend for `stackedBars`. */
export function legend(items: { kind: Segment['kind']; label: string }[]): HTMLElement {
  return h('ul', { class: 'legend' }, items.map((i) => h('li', null, h('span', { class: `swatch ${i.kind}`, 'aria-hidden': 'true' }), i.label)));
}
