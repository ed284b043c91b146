import type { SourceColumn } from '../../../core/plugin/index.js';

/** A nullable, signed, not generated `int` column at `position`, with `extra` overriding any field. */
export function column(name: string, position: number, extra: Partial<SourceColumn> = {}): SourceColumn {
  return {
    name,
    position,
    type: 'int',
    length: null,
    precision: null,
    scale: null,
    nullable: true,
    autoIncrement: false,
    unsigned: false,
    ...extra,
  };
}
