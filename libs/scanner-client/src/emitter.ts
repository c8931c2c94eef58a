/**
 * A minimal typed event emitter (no Node `events`: the library runs in browsers). A listener that
 * throws does not stop the client or the other listeners: its error is rethrown on its own, as an
 * EventTarget reports a failing listener, so it is still seen (uncaught) rather than swallowed.
 */
export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    // A fresh wrapper, so the same function registered twice is two registrations, each removable once.
    const entry = (payload: never) => listener(payload);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
