import type { Page } from 'playwright-core';

/** What one list card shows, read from the DOM (data attributes the page keeps in step with its text). */
export interface CardView {
  readonly list: string;
  readonly epoch: string;
  readonly epochText: string;
  readonly sequence: number | null;
  readonly sequenceText: string;
  readonly rows: number;
  readonly flashes: number;
  readonly kind: string;
  readonly firstSymbols: readonly string[];
}

export interface PageView {
  readonly state: string;
  readonly banner: { readonly visible: boolean; readonly epoch: string; readonly text: string };
  readonly error: string;
  readonly cards: readonly CardView[];
}

// Runs in the page; a string, because the test project compiles without the DOM library.
const READ_PAGE = `(() => {
  const text = (node) => (node === null ? '' : node.textContent.trim());
  const banner = document.querySelector('[data-testid="new-day-banner"]');
  const error = document.querySelector('[data-testid="last-error"]');
  return {
    state: document.querySelector('[data-testid="connection-state"]').dataset.state,
    banner: { visible: !banner.hidden, epoch: banner.dataset.epoch ?? '', text: text(banner.querySelector('[data-testid="new-day-text"]')) },
    error: error.hidden ? '' : text(error),
    cards: [...document.querySelectorAll('section[data-testid^="list-"]')].map((card) => {
      const rows = [...card.querySelectorAll('tbody tr[data-symbol]')];
      const list = card.dataset.list;
      return {
        list,
        epoch: card.dataset.epoch,
        epochText: text(card.querySelector('[data-testid="epoch-' + list + '"]')),
        sequence: card.dataset.sequence === '' ? null : Number(card.dataset.sequence),
        sequenceText: text(card.querySelector('[data-testid="sequence-' + list + '"]')),
        rows: rows.length,
        flashes: Number(card.dataset.flashes),
        kind: card.dataset.kind,
        firstSymbols: rows.slice(0, 3).map((row) => row.dataset.symbol),
      };
    }),
  };
})()`;

export function readPage(page: Page): Promise<PageView> {
  return page.evaluate<PageView>(READ_PAGE);
}

export function totalFlashes(view: PageView): number {
  return view.cards.reduce((sum, card) => sum + card.flashes, 0);
}

/** One line per card, for assertion messages. */
export function describeCards(view: PageView): string {
  return view.cards.map((c) => `${c.list}: epoch=${c.epoch} seq=${String(c.sequence)} rows=${c.rows} kind=${c.kind}`).join('\n');
}
