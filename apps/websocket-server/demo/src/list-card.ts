import type { ScannerList, ScannerRow } from '@scanner/shared-types';
import { COLUMNS, listTitle } from './columns.js';
import { element, setText } from './dom.js';
import type { PendingUpdate } from './pending-update.js';

// Web Animations rather than a CSS class: restarting a class animation needs a forced layout per row,
// which with a thousand rows updating several times a second starves the page.
const FLASH_FRAMES: Keyframe[] = [{ backgroundColor: 'rgba(210, 153, 34, 0.45)' }, { backgroundColor: 'rgba(210, 153, 34, 0)' }];
const FLASH_TIMING: KeyframeAnimationOptions = { duration: 1000, easing: 'ease-out' };
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');

/**
 * One list as a card: title, epoch, sequence, row count, and the table. Rows are keyed by symbol and
 * moved rather than rebuilt, so a delta touches only the cells it changed and a changed row can flash.
 */
export class ListCard {
  readonly element: HTMLElement;
  private readonly epoch: HTMLElement;
  private readonly sequence: HTMLElement;
  private readonly count: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly placeholder: HTMLTableRowElement;
  private readonly placeholderText: HTMLTableCellElement;
  private readonly rows = new Map<string, HTMLTableRowElement>();
  private readonly flashing = new WeakMap<HTMLTableRowElement, Animation>();
  private flashes = 0;

  constructor(readonly list: ScannerList) {
    const id = list;
    this.epoch = element('span', { className: 'value', data: { testid: `epoch-${id}` }, text: '–' });
    this.sequence = element('span', { className: 'value', data: { testid: `sequence-${id}` }, text: '–' });
    this.count = element('span', { className: 'value', data: { testid: `count-${id}` }, text: '0' });
    this.body = element('tbody', { data: { testid: `rows-${id}` } });
    this.placeholderText = element('td', { text: 'waiting for a snapshot…' });
    this.placeholderText.colSpan = COLUMNS.length;
    this.placeholder = element('tr', { className: 'placeholder' }, this.placeholderText);
    this.body.append(this.placeholder);

    const head = element('tr', {}, ...COLUMNS.map((c) => element('th', { className: c.numeric ? 'num' : '', text: c.label })));
    this.element = element(
      'section',
      { className: 'card', data: { testid: `list-${id}`, list: id, epoch: '', sequence: '', rows: '0', kind: '', flashes: '0' } },
      element(
        'header',
        {},
        element('h2', { text: listTitle(list) }),
        element(
          'dl',
          {},
          element('dt', { text: 'epoch' }),
          element('dd', {}, this.epoch),
          element('dt', { text: 'seq' }),
          element('dd', {}, this.sequence),
          element('dt', { text: 'rows' }),
          element('dd', {}, this.count),
        ),
      ),
      element('div', { className: 'table-wrap' }, element('table', {}, element('thead', {}, head), this.body)),
    );
  }

  render(update: PendingUpdate): void {
    const { table, changed, kind, sawReset } = update;
    const hadRows = this.rows.size > 0;
    const data = this.element.dataset;
    data['epoch'] = table.epoch ?? '';
    data['sequence'] = table.sequence === null ? '' : String(table.sequence);
    data['rows'] = String(table.rows.length);
    data['kind'] = kind;
    setText(this.epoch, table.epoch ?? '–');
    setText(this.sequence, table.sequence === null ? '–' : String(table.sequence));
    setText(this.count, String(table.rows.length));
    this.element.classList.toggle('reset', kind === 'reset');

    this.placeRows(table.rows);
    setText(this.placeholderText, kind === 'reset' ? `new day ${table.epoch ?? ''}: waiting for its first snapshot…` : 'no rows');
    this.placeholder.hidden = table.rows.length > 0;
    // The first fill of a table (and a new day's) is not news; after that, every added or changed row flashes.
    if (hadRows && !sawReset) {
      for (const symbol of changed) {
        const row = this.rows.get(symbol);
        if (row !== undefined) this.flash(row);
      }
    }
  }

  private placeRows(rows: readonly ScannerRow[]): void {
    const seen = new Set<string>();
    let cursor: ChildNode | null = this.body.firstChild;
    for (const row of rows) {
      seen.add(row.symbol);
      const tr = this.rows.get(row.symbol) ?? this.createRow(row.symbol);
      COLUMNS.forEach((column, index) => {
        const cell = column.cell(row);
        const td = tr.cells[index];
        if (td === undefined) return;
        setText(td, cell.text);
        td.classList.toggle('up', cell.trend === 'up');
        td.classList.toggle('down', cell.trend === 'down');
      });
      if (tr === cursor) cursor = cursor.nextSibling;
      else this.body.insertBefore(tr, cursor);
    }
    for (const [symbol, tr] of this.rows) {
      if (seen.has(symbol)) continue;
      tr.remove();
      this.rows.delete(symbol);
    }
  }

  private createRow(symbol: string): HTMLTableRowElement {
    const tr = element('tr', { data: { symbol } }, ...COLUMNS.map((c) => element('td', { className: c.numeric ? 'num' : c.key })));
    this.rows.set(symbol, tr);
    return tr;
  }

  private flash(tr: HTMLTableRowElement): void {
    // A row that changes again mid-flash starts over rather than stacking a second animation.
    this.flashing.get(tr)?.cancel();
    if (!reducedMotion.matches) this.flashing.set(tr, tr.animate(FLASH_FRAMES, FLASH_TIMING));
    this.flashes++;
    this.element.dataset['flashes'] = String(this.flashes);
  }
}
