import pc from 'picocolors';
import type { TableProgress } from './connector-show-command.js';
import { bar, formatCount, formatDuration, percent, ratio } from './watch-format.js';
import type { Notice, WatchedConnector } from './watch-model.js';

const BAR_WIDTH = 24;

function stateColor(c: WatchedConnector): (text: string) => string {
  if (c.state.error) return pc.red;
  if (c.state.state === 'STOPPED' || c.state.state === 'PAUSED') return pc.yellow;
  return pc.green;
}

function tableLine(table: TableProgress, width: number, rate: string): string {
  const name = table.table.padEnd(width);
  if (table.status === 'DONE')
    return `  ${name}  ${pc.green(bar(1, BAR_WIDTH))} 100%  ${formatCount(table.rowsCopied)} rows`;
  if (table.status === 'PENDING') return `  ${name}  ${pc.dim(bar(0, BAR_WIDTH))}   0%  ${pc.dim('pending')}`;
  const fraction = ratio(table.rowsCopied, table.rowsEstimated) ?? 0;
  const estimated = table.rowsEstimated === null ? '?' : formatCount(table.rowsEstimated);
  return `  ${name}  ${pc.cyan(bar(fraction, BAR_WIDTH))} ${percent(table.rowsCopied, table.rowsEstimated).padStart(4)}  ${formatCount(table.rowsCopied)} / ${estimated} rows${rate}`;
}

function rateAndEta(c: WatchedConnector): string {
  const progress = c.stats?.snapshotProgress;
  if (!progress) return '';
  const rate = progress.rowsPerSecond === null ? '' : `  ${formatCount(progress.rowsPerSecond)} rows/s`;
  const eta = progress.etaSeconds === null ? '' : `  ETA ${formatDuration(progress.etaSeconds)}`;
  return rate + eta;
}

function cdcLine(c: WatchedConnector): string {
  const stats = c.stats;
  if (!stats) return '';
  const rate = c.eventsPerSecond === null ? '…' : formatCount(c.eventsPerSecond);
  const lag = stats.lagMs === null ? 'unknown' : formatDuration(stats.lagMs / 1000);
  return `CDC ${rate} events/s  lag ${lag}  ${formatCount(stats.totalEvents)} events  ${stats.badEvents} bad`;
}

/** The live view of one connector: a heading, then bars per table while it snapshots, or its CDC figures. */
function connectorBlock(c: WatchedConnector): string[] {
  const color = stateColor(c);
  const lines = [
    `${pc.bold(c.name)} ${pc.dim(c.type)}  ${c.state.stage}  ${color(c.state.state)}${c.active ? '' : pc.dim('  (inactive)')}`,
  ];
  const progress = c.stats?.snapshotProgress;
  if (progress?.running) {
    const width = Math.max(...progress.tables.map((t) => t.table.length));
    for (const table of progress.tables)
      lines.push(tableLine(table, width, table.status === 'COPYING' ? rateAndEta(c) : ''));
  } else if (c.state.stage === 'CHANGE_DATA_CAPTURE' && c.stats) {
    const tables = progress?.tables ?? [];
    if (tables.length > 0)
      lines.push(
        `  ${pc.dim(`snapshot done: ${formatCount(progress?.rowsCopied ?? 0)} rows in ${tables.length} table${tables.length === 1 ? '' : 's'}`)}`,
      );
    lines.push(`  ${cdcLine(c)}`);
  }
  if (c.state.error) lines.push(`  ${pc.red(`error: ${c.state.error}`)}`);
  if (c.state.warning) lines.push(`  ${pc.yellow(`warning: ${c.state.warning}`)}`);
  return lines;
}

/** The whole TTY frame, redrawn in place at every update. */
export function renderFrame(connectors: Iterable<WatchedConnector>, now: Date): string {
  const blocks = [...connectors].map((c) => connectorBlock(c).join('\n'));
  const header = pc.dim(`tributary watch  ${now.toISOString().slice(11, 19)}  (Ctrl-C to quit)`);
  return [header, ...(blocks.length === 0 ? ['no connectors'] : blocks)].join('\n\n');
}

/**
 * One plain line summing up a connector, for output that is not a terminal: `watch` prints it when it
 * differs from the last one printed for that connector.
 */
export function plainLine(c: WatchedConnector): string {
  const head = `${c.name} ${c.state.stage} ${c.state.state}`;
  const progress = c.stats?.snapshotProgress;
  if (progress?.running) {
    const table = progress.tables.find((t) => t.status === 'COPYING');
    const done = progress.tables.filter((t) => t.status === 'DONE').length;
    const copying = table
      ? ` ${table.table} ${percent(table.rowsCopied, table.rowsEstimated)} ${formatCount(table.rowsCopied)}/${table.rowsEstimated === null ? '?' : formatCount(table.rowsEstimated)} rows`
      : '';
    return `${head} snapshot ${done}/${progress.tables.length} tables${copying}${rateAndEta(c)}`;
  }
  if (c.state.stage === 'CHANGE_DATA_CAPTURE' && c.stats) return `${head} ${cdcLine(c)}`;
  return head;
}

/** An error or warning line, as it happens. */
export function noticeLine(notice: Notice, colored: boolean): string {
  const text = `${notice.connector} ${notice.kind}: ${notice.text}`;
  if (!colored) return text;
  return notice.kind === 'error' ? pc.red(text) : pc.yellow(text);
}
