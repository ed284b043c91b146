import {
  type SnapshotProgressView,
  TABLE_COPY_STATUSES,
  type TableCopyProgress,
} from '../core/replication/snapshot-progress.js';
import { builder } from './builder.js';
import { enumFrom } from './enum-from.js';

const COUNT_NOTE = 'A Float so that tables beyond 2^31 rows fit.';

export const TableCopyStatusEnum = enumFrom(
  'TableCopyStatus',
  TABLE_COPY_STATUSES,
  'Where a table of a snapshot is: PENDING (waiting), COPYING (being copied), DONE (copied and committed).',
  {
    pending: 'Waiting to be copied.',
    copying: 'Being copied now (its rows commit with the table).',
    done: 'Copied and committed.',
  },
);

export const TableProgressRef = builder.objectRef<TableCopyProgress>('TableProgress').implement({
  description: 'One table of a snapshot.',
  fields: (t) => ({
    table: t.exposeString('table', { description: 'The source table, fully qualified as in `tables`.' }),
    status: t.field({
      description: 'Waiting, being copied, or done.',
      type: TableCopyStatusEnum,
      resolve: (table) => table.status,
    }),
    rowsCopied: t.exposeFloat('rowsCopied', {
      description: `DONE: rows committed. COPYING: rows written so far, committed with the table. PENDING: 0. ${COUNT_NOTE}`,
    }),
    rowsEstimated: t.exposeFloat('rowsEstimated', {
      nullable: true,
      description:
        "The source statistics' estimate of the table's rows (PostgreSQL pg_class.reltuples, MySQL TABLE_ROWS), taken when the snapshot began; may be off either way. Null when unknown (never analysed, or copied by an earlier run).",
    }),
  }),
});

export const SnapshotProgressRef = builder.objectRef<SnapshotProgressView>('SnapshotProgress').implement({
  description:
    "A connector's snapshot progress, live: the tables copied by earlier runs, then those of the running snapshot in copy order. rowsCopied / rowsEstimated is the fraction done.",
  fields: (t) => ({
    running: t.exposeBoolean('running', { description: 'True while the snapshot copies tables.' }),
    table: t.exposeString('table', {
      nullable: true,
      description: 'The source table being copied now; null when none is.',
    }),
    rowsCopied: t.exposeFloat('rowsCopied', {
      description: `Rows copied into the tables listed (committed, plus the table being copied so far). ${COUNT_NOTE}`,
    }),
    rowsEstimated: t.exposeFloat('rowsEstimated', {
      nullable: true,
      description:
        'Estimated total rows of the tables listed: DONE tables as copied, the others as estimated (at least what they copied). Null when a table not yet done has no estimate.',
    }),
    rowsPerSecond: t.exposeFloat('rowsPerSecond', {
      nullable: true,
      description: 'Copy rate over the last ~10 seconds; null when not running or in its first second.',
    }),
    etaSeconds: t.exposeFloat('etaSeconds', {
      nullable: true,
      description:
        'Seconds until every table is copied, from the estimates and the current rate; null when not running, a total is unknown or nothing moved.',
    }),
    tables: t.field({
      description:
        'Every table of the snapshot: those copied earlier first, then those of the running job in copy order.',
      type: [TableProgressRef],
      resolve: (progress) => [...progress.tables],
    }),
  }),
});
