import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { BenchDatabase } from './bench-clusters.js';
import { secondsSince } from './poll.js';

const PSQL = process.env.BENCH_PSQL ?? '/usr/bin/psql';

/**
 * `psql COPY TO STDOUT (FORMAT binary) | psql COPY FROM STDIN (FORMAT binary)` through a real shell
 * pipe. Connection details and passwords reach psql through the environment, never the command line.
 */
const PIPE_SCRIPT = `set -euo pipefail
PGPASSWORD="$SRC_PASSWORD" "$PSQL" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$SRC_PORT" -U "$SRC_USER" -d "$SRC_DB" \\
    -c "COPY $TABLE TO STDOUT (FORMAT binary)" \\
  | PGPASSWORD="$DST_PASSWORD" "$PSQL" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DST_PORT" -U "$DST_USER" -d "$DST_DB" \\
    -c "COPY $TABLE FROM STDIN (FORMAT binary)"`;

/** Copies `table` from `source` into the same, pre-created and empty, table of `target`; returns seconds taken. */
export async function timePsqlPipe(
  source: BenchDatabase,
  target: BenchDatabase,
  table: string,
): Promise<number> {
  const started = performance.now();
  const child = spawn('bash', ['-c', PIPE_SCRIPT], {
    env: {
      ...process.env,
      PSQL,
      TABLE: table,
      SRC_PASSWORD: source.password,
      SRC_PORT: String(source.port),
      SRC_USER: source.user,
      SRC_DB: source.name,
      DST_PASSWORD: target.password,
      DST_PORT: String(target.port),
      DST_USER: target.user,
      DST_DB: target.name,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = secondsSince(started);
  if (code !== 0) throw new Error(`the psql COPY pipe exited with ${code}: ${output.trim()}`);
  return seconds;
}
