import type { SqlParams, SqlValue } from '@creditline/domain';

/** `:name` not preceded by another colon (so `::type` casts are left alone). */
const NAMED = /(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Rewrites Data API style `:name` parameters to node-postgres `$n` positions, so the same
 * repository SQL runs on both adapters. A parameter used twice gets one position. Text inside
 * single-quoted literals is left alone.
 */
export const toPositional = (sql: string, params: SqlParams = {}): { text: string; values: SqlValue[] } => {
  const positions = new Map<string, number>();
  const values: SqlValue[] = [];
  const segments = sql.split(/('(?:[^']|'')*')/);
  const text = segments
    .map((segment, index) =>
      index % 2 === 1
        ? segment
        : segment.replace(NAMED, (_match, name: string) => {
            let position = positions.get(name);
            if (position === undefined) {
              if (!(name in params)) throw new Error(`SQL parameter :${name} has no value`);
              values.push(params[name] ?? null);
              position = values.length;
              positions.set(name, position);
            }
            return `$${position}`;
          }),
    )
    .join('');
  return { text, values };
};

/** The parameter names a statement uses, in order of first use (literals skipped). */
export const usedParameterNames = (sql: string): string[] => {
  const names = new Set<string>();
  sql.split(/('(?:[^']|'')*')/).forEach((segment, index) => {
    if (index % 2 === 0) for (const match of segment.matchAll(NAMED)) if (match[1]) names.add(match[1]);
  });
  return [...names];
};
