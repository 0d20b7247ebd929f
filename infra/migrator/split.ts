/**
 * Splits a SQL script into statements for the Data API, which runs one statement per call.
 * Semicolons inside quotes ('...', "..."), dollar quotes ($$...$$, $tag$...$tag$) and
 * comments (-- and nested /* *\/) do not split. Empty statements and comment-only
 * statements are dropped.
 */
export const splitStatements = (script: string): string[] => {
  const statements: string[] = [];
  let current = '';
  let hasCode = false;
  let i = 0;
  const n = script.length;
  const push = (): void => {
    if (hasCode) statements.push(current.trim());
    current = '';
    hasCode = false;
  };
  while (i < n) {
    const ch = script.charAt(i);
    const next = script.charAt(i + 1);
    if (ch === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      current += script.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === '/' && next === '*') {
      let depth = 0;
      let j = i;
      while (j < n) {
        if (script.startsWith('/*', j)) {
          depth++;
          j += 2;
        } else if (script.startsWith('*/', j)) {
          depth--;
          j += 2;
          if (depth === 0) break;
        } else j++;
      }
      current += script.slice(i, j);
      i = j;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < n) {
        if (script.charAt(j) === ch) {
          if (script.charAt(j + 1) === ch) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      current += script.slice(i, j + 1);
      hasCode = true;
      i = j + 1;
      continue;
    }
    if (ch === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i));
      if (tag) {
        const delimiter = tag[0];
        const end = script.indexOf(delimiter, i + delimiter.length);
        const stop = end === -1 ? n : end + delimiter.length;
        current += script.slice(i, stop);
        hasCode = true;
        i = stop;
        continue;
      }
    }
    if (ch === ';') {
      push();
      i++;
      continue;
    }
    current += ch;
    if (!/\s/.test(ch)) hasCode = true;
    i++;
  }
  push();
  return statements;
};
