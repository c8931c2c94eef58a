import { DbError } from './db-error.js';

/**
 * Schema names go into `search_path` and DDL, where they cannot be bound as parameters, so only plain
 * lower-case identifiers are accepted: nothing to quote, nothing to inject, and what an operator types
 * in PGSCHEMA is exactly what `\dn` shows.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new DbError(
      'INVALID_SCHEMA_NAME',
      `schema name must be a lower-case identifier (a-z, 0-9, _; at most 63 characters), got ${JSON.stringify(schema)}`,
    );
  }
  return schema;
}

/** Double-quotes an identifier for DDL (names are generated or checked, never free text). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
