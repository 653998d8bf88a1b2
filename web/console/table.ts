/**
 * The admin pages' lists: a table on a wide screen that turns into one card per row on a tablet
 * or phone (console.css, `table.data.cards`), each cell then labelled with its column's name.
 * The roles are explicit because a table whose rows are laid out as grids loses its implicit
 * table semantics in some browsers.
 */
import { h, type Attrs, type Child } from '../shared/dom.ts';

export interface Column<T> {
  /** The column's heading; for the actions column, a heading for screen readers only. */
  label: string;
  cell(row: T): Child;
  /** 'n': a number, right-aligned; 'act': the row's buttons (no label on a card, its whole width). */
  kind?: 'n' | 'act';
}

/** One cell, labelled with its column for the card layout. */
export function dataCell(label: string, content: Child, kind?: Column<unknown>['kind']): HTMLTableCellElement {
  return h('td', { role: 'cell', class: kind ?? null, 'data-label': kind === 'act' ? '' : label },
    kind === 'act' ? h('div', { class: 'row-actions' }, content) : content);
}

/** One row of a `dataTable` (for lists that grow: "more"). */
export function dataRow<T>(columns: Column<T>[], row: T, attrs: Attrs = {}): HTMLTableRowElement {
  return h('tr', { role: 'row', ...attrs }, columns.map((col) => dataCell(col.label, col.cell(row), col.kind)));
}

export function dataTable<T>(columns: Column<T>[], rows: T[], rowAttrs: (row: T) => Attrs = () => ({})): HTMLTableElement {
  return h('table', { class: 'data cards', role: 'table' },
    h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, columns.map((col) =>
      h('th', { role: 'columnheader', class: col.kind ?? null }, col.kind === 'act' ? h('span', { class: 'sr-only' }, col.label) : col.label)))),
    h('tbody', { role: 'rowgroup' }, rows.map((row) => dataRow(columns, row, rowAttrs(row)))));
}
