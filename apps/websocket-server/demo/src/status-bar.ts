import type { ConnectionState } from '@scanner/scanner-client';
import { required, setText } from './dom.js';

const STATE_TEXT: Readonly<Record<ConnectionState, string>> = {
  idle: 'idle',
  connecting: 'connecting…',
  open: 'live',
  reconnecting: 'reconnecting…',
  stopped: 'stopped',
};

/** The header (connection state, current epoch, last server error) and the new-day banner. */
export class StatusBar {
  private readonly state = required<HTMLElement>('[data-testid="connection-state"]');
  private readonly epoch = required<HTMLElement>('[data-testid="epoch"]');
  private readonly error = required<HTMLElement>('[data-testid="last-error"]');
  private readonly banner = required<HTMLElement>('[data-testid="new-day-banner"]');
  private readonly bannerText = required<HTMLElement>('[data-testid="new-day-text"]');

  constructor() {
    required<HTMLButtonElement>('[data-testid="new-day-dismiss"]').addEventListener('click', () => {
      this.banner.hidden = true;
    });
  }

  setState(state: ConnectionState): void {
    this.state.dataset['state'] = state;
    setText(this.state, STATE_TEXT[state]);
  }

  /** The newest epoch any table holds: the server's trading day as this page knows it. */
  setEpoch(epoch: string | null): void {
    if (epoch === null || (this.epoch.dataset['epoch'] ?? '') >= epoch) return;
    this.epoch.dataset['epoch'] = epoch;
    setText(this.epoch, epoch);
  }

  showError(text: string): void {
    this.error.hidden = false;
    setText(this.error, text);
  }

  /** Stays up until dismissed: the moment the tables emptied is worth seeing after the fact. */
  showNewDay(epoch: string, at: Date): void {
    this.setEpoch(epoch);
    this.banner.dataset['epoch'] = epoch;
    setText(this.bannerText, `New trading day ${epoch} — every table was cleared at ${at.toLocaleTimeString()} and refills as the day's snapshots arrive.`);
    this.banner.hidden = false;
    // Re-trigger the attention animation when several days pass while the page is open.
    this.banner.classList.remove('arrived');
    void this.banner.offsetWidth;
    this.banner.classList.add('arrived');
  }
}
