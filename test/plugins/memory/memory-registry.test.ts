import { describe, expect, it } from 'vitest';
import {
  dropMemoryDatabase,
  getMemoryDatabase,
  MemoryDatabase,
  registerMemoryDatabase,
} from '../../../plugins/memory/index.js';

describe('memory database registry', () => {
  it('finds a registered database by name until it is dropped', () => {
    const database = registerMemoryDatabase(new MemoryDatabase('registry_find'));

    expect(getMemoryDatabase('registry_find')).toBe(database);
    expect(dropMemoryDatabase('registry_find')).toBe(true);
    expect(getMemoryDatabase('registry_find')).toBeUndefined();
    expect(dropMemoryDatabase('registry_find')).toBe(false);
  });

  it('accepts the same instance twice but refuses another under a taken name', () => {
    const database = registerMemoryDatabase(new MemoryDatabase('registry_taken'));
    try {
      expect(registerMemoryDatabase(database)).toBe(database);
      expect(() => registerMemoryDatabase(new MemoryDatabase('registry_taken'))).toThrow(
        /already registered/,
      );
    } finally {
      dropMemoryDatabase('registry_taken');
    }
  });

  it('refuses a database without a name', () => {
    expect(() => new MemoryDatabase(' ')).toThrow(/needs a name/);
  });
});
