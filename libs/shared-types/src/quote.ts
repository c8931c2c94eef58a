/**
 * A value from another process for an error message: a string quoted and cut to `maxLength` (it may be
 * anything a client sent or Redis held), anything else only named by its type.
 */
export function quote(value: unknown, maxLength = 40): string {
  if (typeof value !== 'string') return typeof value;
  return JSON.stringify(value.length > maxLength ? `${value.slice(0, maxLength)}...` : value);
}
