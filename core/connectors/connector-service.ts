import type pg from 'pg';
import { inject, injectable } from 'tsyringe';
import { AlreadyExistsError, NotFoundError } from '../errors.js';
import { canonicalTableName, sourceNaming } from '../plugin/object-names.js';
import type { ConnectionConfig, SourcePlugin } from '../plugin/source-plugin.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { SourceRegistry } from '../sources/source-registry.js';
import { SECRET_BOX } from '../tokens.js';
import type { ConnectorInput, ConnectorPatch, ConnectorRecord } from './connector-record.js';
import { connectorName, connectorSettings, invalidInput, parseOptions } from './connector-rules.js';
import { ConnectorStore, type NewConnector, type StoredConnector } from './connector-store.js';
import { splitEngineOptions, withoutEngineOptions } from './engine-options.js';

/** A connector with its decrypted, plugin-validated source settings, for the engine only. */
export interface ResolvedConnector {
  readonly record: ConnectorRecord;
  readonly plugin: SourcePlugin;
  readonly config: ConnectionConfig;
}

/**
 * Creates, changes and removes connectors. Every write is validated first (engine settings and the
 * engine's own `options` keys, see `engine-options.ts`; then the plugin's config schema, which never
 * sees the engine's keys), so nothing invalid is ever stored. Secrets are encrypted before
 * storage and stripped from everything this service returns, except `resolve` for the engine.
 */
@injectable()
export class ConnectorService {
  constructor(
    @inject(ConnectorStore) private readonly store: ConnectorStore,
    @inject(SourceRegistry) private readonly registry: SourceRegistry,
    @inject(SECRET_BOX) private readonly secrets: SecretBox,
  ) {}

  /** Every connector by name; on `client` (e.g. inside a snapshot) when given. */
  async list(client?: pg.ClientBase): Promise<ConnectorRecord[]> {
    return (await this.store.list(client)).map(toRecord);
  }

  async get(name: string): Promise<ConnectorRecord | null> {
    const stored = await this.store.get(name);
    return stored ? toRecord(stored) : null;
  }

  /** Throws NOT_FOUND naming the connector. */
  async require(name: string): Promise<ConnectorRecord> {
    return toRecord(await this.requireStored(name));
  }

  async add(input: ConnectorInput): Promise<ConnectorRecord> {
    const { plugin, named } = this.identify(input);
    const stored = await this.store.insert(this.validate(plugin, named));
    if (!stored) throw alreadyExists(input.name);
    return toRecord(stored);
  }

  /**
   * What `add` would save, resolved for a dry run without saving it: the same validation (and the
   * same errors: INVALID_INPUT, UNSUPPORTED, ALREADY_EXISTS for a name in use, whose rules and
   * tables would otherwise be taken for this connector's). Nothing is stored or encrypted; never
   * expose the result through the API.
   */
  async resolveUnsaved(input: ConnectorInput): Promise<ResolvedConnector> {
    const { plugin, named } = this.identify(input);
    const { connector, config } = this.parse(plugin, named);
    if (await this.store.get(connector.name)) throw alreadyExists(connector.name);
    const now = new Date();
    return { record: { ...connector, active: false, createdAt: now, updatedAt: now }, plugin, config };
  }

  async update(name: string, patch: ConnectorPatch): Promise<ConnectorRecord> {
    const current = await this.requireStored(name);
    const plugin = this.registry.get(current.type);
    const currentSecrets = this.decryptSecrets(current);
    const options =
      patch.options === undefined || patch.options === null ? current.options : parseOptions(patch.options);
    // A null in the patch reaches validation as it is: "host is required" rather than a silent keep.
    const merged = {
      ...current,
      password: String(currentSecrets.password),
      ...definedOnly(patch),
      // secret options the patch does not give again are kept
      options: { ...withoutPassword(currentSecrets), ...options },
    } as ConnectorInput;
    const stored = await this.store.update(this.validate(plugin, merged));
    if (!stored) throw new NotFoundError(`no connector named "${name}"`);
    return toRecord(stored);
  }

  async delete(name: string): Promise<void> {
    if (!(await this.store.delete(name))) throw new NotFoundError(`no connector named "${name}"`);
  }

  /** The connector's plugin and full, decrypted settings. Never expose the result through the API. */
  async resolve(name: string): Promise<ResolvedConnector> {
    const stored = await this.requireStored(name);
    const plugin = this.registry.get(stored.type);
    const secrets = this.decryptSecrets(stored);
    const parsed = plugin.configSchema.safeParse({
      host: stored.host,
      port: stored.port,
      user: stored.user,
      password: secrets.password,
      database: stored.database,
      schema: stored.schema,
      options: withoutEngineOptions({ ...stored.options, ...withoutPassword(secrets) }),
    });
    if (!parsed.success)
      throw invalidInput(parsed.error, `stored settings of "${name}" are no longer valid: `);
    return { record: withCanonicalTables(plugin, toRecord(stored)), plugin, config: parsed.data };
  }

  private async requireStored(name: string): Promise<StoredConnector> {
    const stored = await this.store.get(name);
    if (!stored) throw new NotFoundError(`no connector named "${name}"`);
    return stored;
  }

  /** The new connector's plugin, and the input with its name checked. */
  private identify(input: ConnectorInput): { plugin: SourcePlugin; named: ConnectorInput } {
    const name = connectorName.safeParse(input.name);
    if (!name.success) throw invalidInput(name.error);
    return { plugin: this.registry.get(input.type), named: { ...input, name: name.data } };
  }

  private validate(plugin: SourcePlugin, input: ConnectorInput): NewConnector {
    const { connector, secrets } = this.parse(plugin, input);
    return { ...connector, secrets: this.secrets.encrypt(JSON.stringify(secrets)) };
  }

  /**
   * The input checked by the engine's and the plugin's rules: the connector without its secrets,
   * the plugin's parsed config, and the secrets (`password` and the plugin's secret options).
   * Table names are canonical (see `core/plugin/object-names.ts`).
   */
  private parse(plugin: SourcePlugin, input: ConnectorInput): Parsed {
    const canonical = (names: readonly string[] | null | undefined) =>
      names?.map((name) => canonicalTableName(name, sourceNaming(plugin, String(input.database)))) ?? null;
    const settings = connectorSettings.safeParse({
      tables: canonical(input.tables),
      snapshotTables: canonical(input.snapshotTables),
      letterCasing: input.letterCasing ?? 'lowercase',
      errorStrategy: input.errorStrategy ?? 'exit',
    });
    if (!settings.success) throw invalidInput(settings.error);
    const split = splitEngineOptions(parseOptions(input.options));
    const config = plugin.configSchema.safeParse({
      host: input.host,
      port: input.port,
      user: input.user,
      password: input.password,
      database: input.database,
      schema: input.schema ?? null,
      options: split.plugin,
    });
    if (!config.success) throw invalidInput(config.error);
    const secretKeys = plugin.secretOptions ?? [];
    const options: Record<string, unknown> = { ...split.engine };
    const secrets: Record<string, unknown> = { password: config.data.password };
    for (const [key, value] of Object.entries(config.data.options)) {
      (secretKeys.includes(key) ? secrets : options)[key] = value;
    }
    const connector = {
      name: input.name,
      type: plugin.kind,
      host: config.data.host,
      port: config.data.port,
      user: config.data.user,
      database: config.data.database,
      schema: config.data.schema,
      ...settings.data,
      options,
    };
    return { connector, config: config.data, secrets };
  }

  private decryptSecrets(stored: StoredConnector): Record<string, unknown> {
    return JSON.parse(this.secrets.decrypt(stored.secrets)) as Record<string, unknown>;
  }
}

interface Parsed {
  readonly connector: Omit<NewConnector, 'secrets'>;
  readonly config: ConnectionConfig;
  readonly secrets: Record<string, unknown>;
}

const alreadyExists = (name: string) =>
  new AlreadyExistsError(`a connector named "${name}" already exists; choose another name`);

/** A record whose table names are canonical, whatever form they were stored in. */
function withCanonicalTables(plugin: SourcePlugin, record: ConnectorRecord): ConnectorRecord {
  const naming = sourceNaming(plugin, record.database);
  const canonical = (names: readonly string[] | null) =>
    names?.map((name) => canonicalTableName(name, naming)) ?? null;
  return { ...record, tables: canonical(record.tables), snapshotTables: canonical(record.snapshotTables) };
}

function toRecord(stored: StoredConnector): ConnectorRecord {
  const { secrets: _secrets, ...record } = stored;
  return record;
}

function withoutPassword(secrets: Record<string, unknown>): Record<string, unknown> {
  const { password: _password, ...rest } = secrets;
  return rest;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
