import { verdictKinds } from './checker/verdicts.js';
import type { SimResult } from './run.js';

/** The run's report: what was done, faults by kind, verdicts by kind, one trace per kind found, then the summary line. */
export const formatReport = (result: SimResult): string[] => {
  const lines: string[] = [];
  lines.push(`sim: wall time ${(result.wallMs / 1000).toFixed(1)} s`);
  lines.push(
    `sim: done ${Object.entries(result.counts)
      .map(([what, count]) => `${count} ${what}`)
      .join(', ')}`,
  );
  lines.push(
    `sim: faults injected ${result.faults}: ${
      Object.entries(result.faultsByKind)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ') || 'none'
    }`,
  );
  lines.push('sim: verdicts');
  for (const kind of verdictKinds) lines.push(`  ${kind.padEnd(22)} ${result.byKind[kind]}`);
  for (const { violation, trace } of result.explained) {
    const same = result.violations.filter((other) => other.kind === violation.kind).length;
    lines.push(
      '',
      `VIOLATION ${violation.kind}${same > 1 ? ` (1 of ${same})` : ''}: ${violation.message}`,
      'trace:',
      ...trace,
    );
  }
  // Each kind's trace explains its first violation; the others are listed, so a second
  // drifting user or lost decision is named too.
  const others = result.violations.filter(
    (violation) => !result.explained.some((explained) => explained.violation === violation),
  );
  if (others.length > 0) {
    lines.push('', `other violations (${others.length}):`);
    for (const violation of others.slice(0, 50))
      lines.push(`  ${violation.kind}: ${violation.message}`);
    if (others.length > 50) lines.push(`  … and ${others.length - 50} more`);
  }
  lines.push(result.summaryLine);
  return lines;
};
