import type { EventPattern, PatternValue } from '@creditline/adapters/definitions';

/**
 * Event patterns from the shared definitions as the JSON EventBridge takes: keys in a fixed
 * order (source, detail-type, detail with sorted fields) so the rendered plan is stable.
 */
const copyValues = (values: readonly PatternValue[]): PatternValue[] =>
  values.map((value) => (typeof value === 'string' ? value : { ...value }));

export const eventPatternObject = (pattern: EventPattern): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  if (pattern.source) out['source'] = copyValues(pattern.source);
  if (pattern['detail-type']) out['detail-type'] = copyValues(pattern['detail-type']);
  if (pattern.detail) {
    const detail: Record<string, PatternValue[]> = {};
    for (const field of Object.keys(pattern.detail).sort()) {
      const values = pattern.detail[field];
      if (values) detail[field] = copyValues(values);
    }
    out['detail'] = detail;
  }
  return out;
};

export const eventPatternJson = (pattern: EventPattern): string =>
  JSON.stringify(eventPatternObject(pattern));
