import { describe, expect, it } from 'vitest';
import type { SourceColumn } from '../../../core/plugin/index.js';
import { memoryPlugin } from '../../../plugins/memory/index.js';

const column = (type: string, extra: Partial<SourceColumn> = {}): SourceColumn => ({
  name: 'c',
  position: 1,
  type,
  nullable: true,
  ...extra,
});

describe('memory default target types', () => {
  it.each([
    ['integer', {}, 'integer'],
    ['bigint', {}, 'bigint'],
    ['text', {}, 'text'],
    ['varchar', { length: 20 }, 'varchar(20)'],
    ['decimal', { precision: 10, scale: 2 }, 'numeric(10,2)'],
    ['decimal', {}, 'numeric'],
    ['boolean', {}, 'boolean'],
    ['timestamp', {}, 'timestamp'],
    ['timestamptz', {}, 'timestamptz'],
    ['json', {}, 'jsonb'],
    ['bytes', {}, 'bytea'],
    ['geometry', {}, 'text'],
  ] as const)('maps %s %o to %s', (type, extra, expected) => {
    expect(memoryPlugin.defaultTargetType(column(type, extra))).toBe(expected);
  });
});
