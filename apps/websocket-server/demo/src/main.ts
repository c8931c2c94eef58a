import { ScannerClient } from '@scanner/scanner-client';
import { SCANNER_LISTS, type ScannerList } from '@scanner/shared-types';
import { parseDemoConfig } from './demo-config.js';
import { required } from './dom.js';
import { ListCard } from './list-card.js';
import { tokenOf, webSocketUrlOf } from './page-address.js';
import { type PendingUpdate, mergeUpdate } from './pending-update.js';
import { StatusBar } from './status-bar.js';

async function main(): Promise<void> {
  const status = new StatusBar();
  const grid = required<HTMLElement>('[data-testid="lists"]');
  const cards = new Map(SCANNER_LISTS.map((list) => [list, new ListCard(list)] as const));
  grid.append(...[...cards.values()].map((card) => card.element));

  const answer = await fetch('./demo-config.json', { cache: 'no-store' });
  if (!answer.ok) throw new Error(`GET demo-config.json answered HTTP ${answer.status}`);
  const config = parseDemoConfig(await answer.json());
  const token = tokenOf(window.location);
  if (config.authRequired && token === null) {
    status.setState('stopped');
    status.showError('This server requires a token: open the page as …/?token=<jwt>.');
    return;
  }

  const client = new ScannerClient({
    url: webSocketUrlOf(window.location, config.wsPath),
    lists: SCANNER_LISTS,
    ...(token === null ? {} : { token: () => token }),
  });
  client.on('state', (state) => status.setState(state));
  // Updates are drawn once per animation frame, however fast they come.
  const pending = new Map<ScannerList, PendingUpdate>();
  let frameRequested = false;
  const draw = () => {
    frameRequested = false;
    for (const [list, update] of pending) {
      cards.get(list)?.render(update);
      status.setEpoch(update.table.epoch);
    }
    pending.clear();
  };
  client.on('table', (update) => {
    pending.set(update.table.list, mergeUpdate(pending.get(update.table.list), update));
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(draw);
    }
  });
  client.on('new_day', ({ epoch }) => status.showNewDay(epoch, new Date()));
  client.on('error', (error) => status.showError(`${error.code}${error.list === undefined ? '' : ` (${error.list})`}: ${error.message}`));
  window.addEventListener('pagehide', () => client.stop());
  status.setState(client.state);
  client.start();
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const target = document.querySelector<HTMLElement>('[data-testid="last-error"]');
  if (target !== null) {
    target.hidden = false;
    target.textContent = `The demo could not start: ${message}`;
  }
  throw error;
});
