import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'plugins');

/** The path of a fixture plugin package, usable wherever a package name is (TRIBUTARY_PLUGINS). */
export const fixturePlugin = (name: 'echo-source' | 'old-api' | 'broken' | 'rogue-source') =>
  path.join(root, name, 'index.js');
