export const CHANGE_OPS = ['insert', 'update', 'delete', 'truncate', 'ddl'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];
