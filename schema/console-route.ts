import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** Paths the API server answers itself; the console never claims them. */
const API_PATHS = new Set(['/graphql', '/metrics', '/healthz']);

/**
 * The prebuilt web console (`npm run build` writes it to dist/console): from dist/schema it is
 * `../console`; from the TypeScript sources (tests run them directly) it is `../dist/console`.
 */
export function consoleDirectory(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const compiled = path.basename(path.dirname(here)) === 'dist';
  return compiled ? path.join(here, '..', 'console') : path.join(here, '..', 'dist', 'console');
}

/**
 * Serves the web console's static files for GET and HEAD outside `/graphql`, `/metrics` and
 * `/healthz`; answers whether it handled the request (a missing file is a 404). Hashed assets are cached for good, index.html
 * never. A path without a file extension that names no file is a console page: it gets index.html
 * (the console routes in the browser). The files are public, like the GraphiQL page: everything they
 * show comes through the GraphQL API, which asks for the token.
 */
export async function serveConsole(
  req: IncomingMessage,
  res: ServerResponse,
  urlPath: string,
  root = consoleDirectory(),
): Promise<boolean> {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.has(urlPath)) return false;
  let relative: string;
  try {
    relative = path.normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  } catch {
    return false;
  }
  if (relative.startsWith('..')) return false;
  const asked = path.join(root, relative);
  const file = (await isFile(asked))
    ? asked
    : path.extname(relative) === ''
      ? path.join(root, 'index.html')
      : null;
  if (!file || !(await isFile(file))) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(file ? 'the web console is not built: run npm run build\n' : 'not found\n');
    return true;
  }
  const body = await readFile(file);
  const immutable = relative.startsWith(`assets${path.sep}`);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.isFile(),
    () => false,
  );
}
