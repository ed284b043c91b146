import { useEffect, useState } from 'preact/hooks';
import { ApiError, request } from './api.js';
import { ADD, CHECK, type CheckResult, DISCARD, LIFECYCLE, SOURCE_TYPES, UPDATE } from './queries.js';
import { navigate } from './router.js';

interface SourceType {
  id: string;
  title: string;
  snapshotModes: string[];
}

const FIELDS = ['name', 'host', 'port', 'user', 'password', 'database', 'tables'] as const;
type Field = (typeof FIELDS)[number];

/**
 * Adds a connector, checks it, then starts it. checkConnector tests a saved connector, so "Save and
 * check" saves it first (addConnector; a saved connector does nothing until started) and shows the
 * dry run; after a failed check, editing and checking again updates the saved connector, "Discard"
 * deletes it. "Start" is offered once the check passes.
 */
export function AddConnector() {
  const [types, setTypes] = useState<SourceType[]>([]);
  const [type, setType] = useState('postgres');
  const [values, setValues] = useState<Record<Field, string>>({
    name: '',
    host: 'localhost',
    port: '5432',
    user: '',
    password: '',
    database: '',
    tables: '',
  });
  const [errorStrategy, setErrorStrategy] = useState('EXIT');
  const [mode, setMode] = useState('INITIAL');
  const [saved, setSaved] = useState<string | null>(null);
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    request<{ sourceTypes: SourceType[] }>(SOURCE_TYPES).then(
      (data) => setTypes(data.sourceTypes),
      (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)),
    );
  }, []);

  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await step();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const saveAndCheck = () =>
    run(async () => {
      const tables = values.tables
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const settings = {
        host: values.host,
        port: Number(values.port),
        user: values.user,
        password: values.password,
        database: values.database,
        tables: tables.length > 0 ? tables : null,
        errorStrategy,
      };
      // an empty password field keeps the saved password
      const { password, ...rest } = settings;
      if (saved) await request(UPDATE, { name: saved, input: password ? settings : rest });
      else {
        await request(ADD, { input: { name: values.name, type, ...settings } });
        setSaved(values.name);
      }
      setCheck(null);
      const data = await request<{ checkConnector: CheckResult }>(CHECK, { name: saved ?? values.name });
      setCheck(data.checkConnector);
    });

  const start = () =>
    run(async () => {
      if (!saved) return;
      await request(LIFECYCLE.start, { name: saved, mode });
      navigate(`/connectors/${encodeURIComponent(saved)}`);
    });

  const discard = () =>
    run(async () => {
      if (saved) await request(DISCARD, { name: saved });
      setSaved(null);
      setCheck(null);
    });

  const modes = types.find((t) => t.id === type)?.snapshotModes ?? ['INITIAL'];
  return (
    <section>
      <h1>Add a connector</h1>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void saveAndCheck();
        }}
      >
        <label>
          Source type
          <select
            name="type"
            value={type}
            disabled={saved !== null}
            onChange={(e) => setType(e.currentTarget.value)}
          >
            {types.map((t) => (
              <option key={t.id} value={t.id}>
                {t.title} ({t.id})
              </option>
            ))}
          </select>
        </label>
        {FIELDS.map((field) => (
          <label key={field} htmlFor={`field-${field}`}>
            {field === 'tables' ? 'Tables (comma-separated, empty for all)' : field}
            {field === 'password' ? (
              <input
                id={`field-${field}`}
                name={field}
                type="password"
                value={values[field]}
                onInput={(e) => setValues({ ...values, [field]: e.currentTarget.value })}
              />
            ) : (
              <input
                id={`field-${field}`}
                name={field}
                type="text"
                inputMode={field === 'port' ? 'numeric' : undefined}
                value={values[field]}
                disabled={field === 'name' && saved !== null}
                required={field !== 'tables'}
                onInput={(e) => setValues({ ...values, [field]: e.currentTarget.value })}
              />
            )}
          </label>
        ))}
        <label>
          Error strategy
          <select
            name="errorStrategy"
            value={errorStrategy}
            onChange={(e) => setErrorStrategy(e.currentTarget.value)}
          >
            <option>EXIT</option>
            <option>RETRY</option>
            <option>SKIP</option>
          </select>
        </label>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {saved ? 'Update and check again' : 'Save and check'}
          </button>
          {saved && (
            <button type="button" disabled={busy} onClick={discard}>
              Discard
            </button>
          )}
        </div>
      </form>
      {error && <p class="error">{error}</p>}
      {check && (
        <CheckReport check={check}>
          <div class="actions">
            <label class="inline">
              mode{' '}
              <select name="mode" value={mode} onChange={(e) => setMode(e.currentTarget.value)}>
                {modes.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </label>
            <button type="button" class="primary" disabled={busy || !check.ok} onClick={start}>
              Start
            </button>
          </div>
        </CheckReport>
      )}
    </section>
  );
}

function CheckReport({ check, children }: { check: CheckResult; children: preact.ComponentChildren }) {
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
