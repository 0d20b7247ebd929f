/**
 * One CSV cell that an operator can open in a spreadsheet safely. Text that begins with `=`,
 * `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice and Google
 * Sheets (OWASP "CSV injection"), so such text gets a leading `'`, which spreadsheets show as
 * text; then the cell is quoted as RFC 4180 asks (a comma, a quote or a line break: quoted,
 * quotes doubled). Numbers are ours, never partner text, and stay numbers (a negative delta
 * is still `-500`).
 */
const formulaStart = /^[=+\-@\t\r]/;

export const neutraliseFormula = (text: string): string =>
  formulaStart.test(text) ? `'${text}` : text;

export const csvCell = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
