import type { ComponentChildren } from 'preact';
import type { CheckResult } from './queries.js';

/**
 * A dry run's answer: each check (a failed one with its fix), the table names that match nothing,
 * and the tables that would be replicated with where they land; `children` below it.
 */
export function CheckReport({ check, children }: { check: CheckResult; children?: ComponentChildren }) {
  return (
    <div class="check" data-testid="check" data-ok={String(check.ok)}>
      <h2>{check.ok ? 'Check passed' : 'Check failed'}</h2>
      <ul>
        {check.checks.map((c) => (
          <li key={c.name} class={c.ok ? 'ok' : 'bad'}>
            <strong>
              {c.ok ? '✓' : '✗'} {c.name}
            </strong>
            : {c.detail}
            {c.hint && <div class="muted">fix: {c.hint}</div>}
          </li>
        ))}
        {check.unknownTables.map((u) => (
          <li key={u.name} class="bad">
            unknown table {u.name} in {u.setting}
            {u.closest.length > 0 ? ` (did you mean ${u.closest.join(', ')}?)` : ''}
          </li>
        ))}
      </ul>
      {check.tables.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th>Source table</th>
              <th>Lands in</th>
              <th>Columns</th>
            </tr>
          </thead>
          <tbody>
            {check.tables.map((t) => (
              <tr key={t.source}>
                <td>{t.source}</td>
                <td>{t.destination}</td>
                <td class="muted">{t.columns.map((c) => `${c.name} ${c.type}`).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {children}
    </div>
  );
}
