import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConsole } from '../../schema/console-route.js';

let root: string;
let server: Server;
let origin: string;

/** A server whose console files come from `dir`; whatever the console does not take answers 418. */
async function serveFrom(dir: string): Promise<Server> {
  const http = createServer((req, res) => {
    const urlPath = (req.url ?? '/').split('?')[0] ?? '/';
    void serveConsole(req, res, urlPath, dir).then((served) => {
      if (!served) res.writeHead(418).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return http;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'console-route-'));
  await mkdir(path.join(root, 'assets'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(path.join(root, 'assets', 'app-1234.js'), 'console.log(1)');
  await writeFile(path.join(tmpdir(), 'outside-console.txt'), 'secret');
  server = await serveFrom(root);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  await rm(root, { recursive: true, force: true });
  await rm(path.join(tmpdir(), 'outside-console.txt'), { force: true });
});

describe('serveConsole', () => {
  it('answers index.html for / and for any page path, never cached', async () => {
    for (const page of ['/', '/connectors/shop', '/add']) {
      const response = await fetch(`${origin}${page}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<title>console</title>');
    }
  });

  it('serves hashed assets with their content type, cached for good, and HEAD without a body', async () => {
    const asset = await fetch(`${origin}/assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log(1)');
    const head = await fetch(`${origin}/assets/app-1234.js`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('14');
    expect(await head.text()).toBe('');
  });

  it('answers 404 for a missing file and never serves one outside its folder', async () => {
    expect((await fetch(`${origin}/assets/gone.js`)).status).toBe(404);
    expect((await fetch(`${origin}/..%2foutside-console.txt`)).status).toBe(404);
    expect((await fetch(`${origin}/%2e%2e/outside-console.txt`)).status).toBe(404);
  });

  it('leaves the API paths and other methods to the server', async () => {
    for (const apiPath of ['/graphql', '/metrics', '/healthz']) {
      expect((await fetch(`${origin}${apiPath}`)).status).toBe(418);
    }
    expect((await fetch(`${origin}/`, { method: 'POST' })).status).toBe(418);
  });

  it('says how to build the console when it is not built', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'console-route-empty-'));
    const bare = await serveFrom(empty);
    try {
      const response = await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('npm run build');
    } finally {
      bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
