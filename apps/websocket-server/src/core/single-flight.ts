/**
 * Concurrent calls for one key share one in-flight promise. A rejected call is not remembered, so the
 * next caller tries again.
 */
export class SingleFlight<K, V> {
  private readonly inFlight = new Map<K, Promise<V>>();

  run(key: K, work: () => Promise<V>): Promise<V> {
    const existing = this.inFlight.get(key);
    if (existing !== undefined) return existing;
    // `work` starts on the next microtask, after the promise is registered, so even a synchronous
    // throw cannot leave a settled promise behind in the map.
    const promise: Promise<V> = Promise.resolve()
      .then(work)
      .finally(() => {
        if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
      });
    this.inFlight.set(key, promise);
    return promise;
  }

  has(key: K): boolean {
    return this.inFlight.has(key);
  }

  get size(): number {
    return this.inFlight.size;
  }
}
