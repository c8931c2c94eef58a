/**
 * What every decoder returns instead of throwing: input from another process is expected to be wrong
 * sometimes, and a caller must not be able to forget that.
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** A refusal a program can branch on (`code`) and a person can read (`message`). */
export interface DecodeError<C extends string = string> {
  readonly code: C;
  readonly message: string;
  /** Where in the input the problem is, dotted (`resume.sequence`, `rows.3.rank`); absent when it is the whole input. */
  readonly path?: string;
}

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
