import { useEffect, useState } from 'preact/hooks';
import { ApiError, request } from './api.js';
import { CheckReport } from './check-report.js';
import { linkTo } from './connector-list.js';
import { ADD, CHECK_SETTINGS, type CheckResult, DISCARD, LIFECYCLE, SOURCE_TYPES } from './queries.js';
import { navigate } from './router.js';

interface SourceType {
  id: string;
  title: string;
  snapshotModes: string[];
}

const FIELDS = ['name', 'host', 'port', 'user', 'password', 'database', 'tables'] as const;
type Field = (typeof FIELDS)[number];

/** The AddConnectorInput the form's values make. */
function connectorInput(type: string, values: Record<Field, string>, errorStrategy: string) {
  const tables = values.tables
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    name: values.name,
    type,
    host: values.host,
    port: Number(values.port),
    user: values.user,
    password: values.password,
    database: values.database,
    tables: tables.length > 0 ? tables : null,
    errorStrategy,
  };
}

type ConnectorInput = ReturnType<typeof connectorInput>;

/**
 * Adds a connector, checking it before it is saved. "Check and save" runs the dry run on the
 * settings (checkConnectorSettings: nothing is saved) and shows it; when every check passes the
 * connector is saved (addConnector; a saved connector does nothing until started) and Start is
 * offered. After a failed check nothing is saved: correct the settings and check again, or "Save
 * anyway" saves the settings just checked. "Discard" deletes the saved connector.
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
  const [checked, setChecked] = useState<{ input: ConnectorInput; result: CheckResult } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
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

  const save = async (input: ConnectorInput) => {
    await request(ADD, { input });
    setSaved(input.name);
  };

  const checkAndSave = () =>
    run(async () => {
      const input = connectorInput(type, values, errorStrategy);
      setChecked(null);
      const data = await request<{ checkConnectorSettings: CheckResult }>(CHECK_SETTINGS, { input });
      setChecked({ input, result: data.checkConnectorSettings });
      if (data.checkConnectorSettings.ok) await save(input);
    });

  const saveAnyway = () =>
    run(async () => {
      if (checked) await save(checked.input);
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
      setChecked(null);
    });

  const stale =
    checked !== null &&
    JSON.stringify(checked.input) !== JSON.stringify(connectorInput(type, values, errorStrategy));
  const modes = types.find((t) => t.id === type)?.snapshotModes ?? ['INITIAL'];
  return (
    <section>
      <h1>Add a connector</h1>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void checkAndSave();
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
                disabled={saved !== null}
                onInput={(e) => setValues({ ...values, [field]: e.currentTarget.value })}
              />
            ) : (
              <input
                id={`field-${field}`}
                name={field}
                type="text"
                inputMode={field === 'port' ? 'numeric' : undefined}
                value={values[field]}
                disabled={saved !== null}
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
            disabled={saved !== null}
            onChange={(e) => setErrorStrategy(e.currentTarget.value)}
          >
            <option>EXIT</option>
            <option>RETRY</option>
            <option>SKIP</option>
          </select>
        </label>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || saved !== null}>
            Check and save
          </button>
        </div>
      </form>
      {error && <p class="error">{error}</p>}
      {checked && (
        <CheckReport check={checked.result}>
          {saved ? (
            <div class="actions">
              <span data-testid="saved">
                Saved as{' '}
                <a href={`/connectors/${encodeURIComponent(saved)}`} onClick={linkTo(`/connectors/${saved}`)}>
                  {saved}
                </a>
                .
              </span>
              <label class="inline">
                mode{' '}
                <select name="mode" value={mode} onChange={(e) => setMode(e.currentTarget.value)}>
                  {modes.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
              </label>
              <button type="button" class="primary" disabled={busy || !checked.result.ok} onClick={start}>
                Start
              </button>
              <button type="button" disabled={busy} onClick={discard}>
                Discard
              </button>
            </div>
          ) : (
            !checked.result.ok && (
              <div class="actions">
                {stale ? (
                  <span class="muted">The settings changed since this check: check again.</span>
                ) : (
                  <>
                    <span class="muted">Nothing is saved. Correct the settings and check again, or</span>
                    <button type="button" disabled={busy} onClick={saveAnyway}>
                      Save anyway
                    </button>
                  </>
                )}
              </div>
            )
          )}
        </CheckReport>
      )}
    </section>
  );
}
