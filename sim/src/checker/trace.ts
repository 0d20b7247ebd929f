import type { Violation } from './verdicts.js';

/**
 * What happened, by operation: each line names the entities it touched, so that a violation's
 * trace is the lines about its entities only (its operations, their answers and the faults that
 * hit them), in the order they happened.
 */
export interface TraceLine {
  readonly seq: number;
  readonly op: number | undefined;
  readonly entities: readonly string[];
  readonly text: string;
}

export interface Trace {
  add(op: number | undefined, entities: readonly string[], text: string): void;
  readonly lines: readonly TraceLine[];
  /** The lines that explain a violation: those about its entities, capped (first and last kept). */
  explain(violation: Violation, limit?: number): string[];
}

export const createTrace = (): Trace => {
  const lines: TraceLine[] = [];
  const byEntity = new Map<string, TraceLine[]>();
  return {
    lines,
    add(op, entities, text) {
      const line = { seq: lines.length, op, entities, text };
      lines.push(line);
      for (const entity of entities) {
        const list = byEntity.get(entity) ?? [];
        list.push(line);
        byEntity.set(entity, list);
      }
    },
    explain(violation, limit = 40) {
      const picked = new Map<number, TraceLine>();
      for (const entity of violation.entities)
        for (const line of byEntity.get(entity) ?? []) picked.set(line.seq, line);
      const ordered = [...picked.values()].sort((a, b) => a.seq - b.seq);
      const render = (line: TraceLine) =>
        `  ${line.op === undefined ? '     ' : `#${String(line.op).padStart(4)}`} ${line.text}`;
      if (ordered.length <= limit) return ordered.map(render);
      // Keep what most likely explains it: lines with faults or anomalies, then the last ones.
      const marked = ordered.filter((line) => /fault|killed|5\d\d|timeout|lost|!!/.test(line.text));
      const tail = ordered.slice(-Math.floor(limit / 2));
      const keep = new Map<number, TraceLine>();
      for (const line of [...marked.slice(0, Math.ceil(limit / 2)), ...tail])
        keep.set(line.seq, line);
      const kept = [...keep.values()].sort((a, b) => a.seq - b.seq);
      return [
        `  (${ordered.length} lines about ${violation.entities.join(', ')}; ${kept.length} shown: faults and anomalies, then the last)`,
        ...kept.map(render),
      ];
    },
  };
};
