/** Output formatting: aligned tables for people, one JSON document per line for machines. */

/** Left-aligned columns separated by two spaces; no trailing spaces. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

export function jsonLine(value: unknown): string {
  return JSON.stringify(value);
}

/** null/undefined as "-" for tables. */
export function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export function list(values: readonly number[]): string {
  return values.length === 0 ? '-' : values.join(',');
}
