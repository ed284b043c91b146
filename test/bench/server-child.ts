import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built CLI, found from this compiled file (dist/test/bench/ → dist/cli/main.js).
 * test/support/server-process.ts resolves `../../dist/cli/main.js` from its own folder, which is
 * right under vitest (source files) but points at dist/dist/ once compiled, so the bench has its own.
 */
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'main.js');

/** `tributary serve` as a real child process: what `npm start` runs. */
export interface ServerChild {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stderr (its JSON log lines). */
  output(): string;
  /** Sends `signal` and resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `serve --port 0` with `env` added (and `nodeArgs` before the script, e.g. `--cpu-prof`)
 * and resolves with its URL once it logs its ready line.
 */
export async function startServerChild(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
  readyTimeoutMs = 60_000,
): Promise<ServerChild> {
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--port', '0'], {
    env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  let started = false;
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = started ? null : /"url":"(http:\/\/[^"]+\/graphql)".*Tributary ready/.exec(output);
      if (match?.[1]) {
        started = true;
        resolve(match[1]);
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`serve exited with ${code} before it was ready:\n${output}`)),
    );
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), readyTimeoutMs);
  const url = await ready.finally(() => clearTimeout(timeout));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  return { url, child, output: () => output, stop };
}
