import { describe, expect, it } from 'vitest';
import { memoryPlugin } from '../../../plugins/memory/index.js';
import { memoryConfig } from './memory-fixture.js';

describe('memory config', () => {
  it('defaults options to an empty object and schema to null', () => {
    const { options: _options, ...withoutOptions } = memoryConfig('shop');
    const parsed = memoryPlugin.configSchema.parse(withoutOptions);
    expect(parsed).toMatchObject({ database: 'shop', schema: null, options: {} });
  });

  it('accepts a slot name option', () => {
    const parsed = memoryPlugin.configSchema.parse(memoryConfig('shop', { slotName: ' my_slot ' }));
    expect(parsed.options.slotName).toBe('my_slot');
  });

  it('rejects unknown options', () => {
    const parsed = memoryPlugin.configSchema.safeParse(memoryConfig('shop', { pollInterval: 5 }));
    expect(parsed.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['pollInterval'] });
  });

  it('rejects a missing database name', () => {
    const parsed = memoryPlugin.configSchema.safeParse(memoryConfig(''));
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['database'],
      message: 'database must not be empty',
    });
  });
});
