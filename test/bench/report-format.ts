import type { PhaseStatements } from './report.js';

/** Formatting shared by the report's sections. */
export const int = (value: number) => Math.round(value).toLocaleString('en-US');
export const secs = (value: number) => value.toFixed(2);
export const times = (value: number) => `${value.toFixed(2)}x`;
export const mb = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)} MB`);
export const cpu = (value: number | null) => (value === null ? '-' : value.toFixed(2));

/** Left-aligns the first column and right-aligns the others. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function verdict(ok: boolean | null): string {
  if (ok === null) return 'n/a';
  return ok ? 'PASS' : 'MISS';
}

/** One phase's statements at Tributary's target: the count and the top five by time. */
export function statementsBlock(name: string, seconds: number, { calls, top }: PhaseStatements): string {
  const rows = top.map((stat) => [
    stat.query.length > 90 ? `${stat.query.slice(0, 87)}...` : stat.query,
    int(stat.calls),
    secs(stat.planMs / 1000),
    secs(stat.totalMs / 1000),
    ((stat.planMs + stat.totalMs) / Math.max(stat.calls, 1)).toFixed(3),
    int(stat.rows),
  ]);
  return `${name}: ${int(calls)} statements in ${secs(seconds)} s\n${table(
    ['statement (top 5 by planning + execution time)', 'calls', 'plan s', 'exec s', 'ms/call', 'rows'],
    rows,
  )}`;
}

/** The heading of the statements section, shared by both sections. */
export const STATEMENTS_HEADING =
  'Statements Tributary ran at the target during each phase (pg_stat_statements: planning and execution, not parsing or round trips)';

/** The targets table, closing with the peak-RSS target and a line when Tributary was not measured. */
export function targetsTable(
  rows: readonly (readonly string[])[],
  peakRssMb: number | null,
  tributaryMissing: string | null,
): string {
  const all = [
    ...rows,
    ['peak RSS of the server < 300 MB', mb(peakRssMb), verdict(peakRssMb === null ? null : peakRssMb < 300)],
  ];
  const missing = tributaryMissing ? `\n  Tributary was not measured: ${tributaryMissing}` : '';
  return `Targets\n${table(['target', 'measured', 'verdict'], all)}${missing}`;
}
