/**
 * Runs this process's jobs of one lock one after another, so that the service's own scheduled fire,
 * catch-up and repair wait for each other instead of refusing each other with LOCK_HELD (the Redis lock
 * still arbitrates between instances).
 */
export class SerialLane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
