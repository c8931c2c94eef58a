/** A value for an error message: strings quoted and cut short (they may be anything Redis held), else the type. */
export function quote(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}
