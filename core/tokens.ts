import type { InjectionToken } from 'tsyringe';
import type { Settings } from './config.js';
import type { Logger } from './logger.js';
import type { SecretBox } from './secrets/secret-box.js';
import type { PluginRegistration } from './sources/plugin-registration.js';
import type { TypeMapRegistration } from './sources/type-map-registration.js';
import type { TargetDatabase } from './target/target-database.js';

/** DI tokens. Every injected constructor parameter names one of these (no emitDecoratorMetadata). */
export const SETTINGS: InjectionToken<Settings> = Symbol('Settings');
export const LOGGER: InjectionToken<Logger> = Symbol('Logger');
export const TARGET_DATABASE: InjectionToken<TargetDatabase> = Symbol('TargetDatabase');
export const SECRET_BOX: InjectionToken<SecretBox> = Symbol('SecretBox');
/** Registered once per plugin, built-in or third-party; collected by SourceRegistry. */
export const SOURCE_PLUGIN: InjectionToken<PluginRegistration> = Symbol('SourcePlugin');
/**
 * Registered once per source kind whose capture plugin is not built yet but whose default type map
 * is (SQL Server, Oracle): answers `translateDataType` only; collected by SourceRegistry.
 */
export const SOURCE_TYPE_MAP: InjectionToken<TypeMapRegistration> = Symbol('SourceTypeMap');
