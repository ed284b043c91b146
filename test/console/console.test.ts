import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateKey } from '../../core/secrets/secret-box.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { ARTIFACTS, type Browser, launchBrowser } from './browser.js';

/** Enough rows for the copy to take a few seconds, so the bar is seen between empty and full. */
const ROWS = 1_000_000;
const TOKEN = 'console-test-token';

let target: TestDatabase;
let source: TestDatabase;
let server: ServerProcess;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  target = await createTestDatabase(inject('targetClusterUrl'));
  source = await createTestDatabase(inject('sourceClusterUrl'), 'console_src');
  await source.query('CREATE TABLE orders (id bigint PRIMARY KEY, note text)');
  await source.query(
    `INSERT INTO orders SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, ${ROWS}) g`,
  );
  await source.query('ANALYZE orders');
  server = await startServerProcess({
    TRIBUTARY_DATABASE_URL: target.url,
    TRIBUTARY_SECRET_KEY: generateKey(),
    TRIBUTARY_API_TOKEN: TOKEN,
  });
  origin = new URL(server.url).origin;
  browser = await launchBrowser();
  console.log(`console screenshots: ${ARTIFACTS}`);
}, 90_000);

afterAll(async () => {
  await browser?.[Symbol.asyncDispose]();
  await server?.stop();
  await source?.[Symbol.asyncDispose]();
  await target?.[Symbol.asyncDispose]();
});

const savedConnectors = async () =>
  (await target.query<{ name: string }>('SELECT name FROM tributary.connectors ORDER BY name')).rows.map(
    (row) => row.name,
  );

/** Fills the add form with the source's address and the given name, table and password, and submits it. */
async function fillAddForm(name: string, password: string) {
  const { page } = browser;
  const at = new URL(source.url);
  await page.goto(`${origin}/add`);
  await page.locator('select[name=type]').selectOption('postgres');
  await page.locator('input[name=name]').fill(name);
  await page.locator('input[name=host]').fill(at.hostname);
  await page.locator('input[name=port]').fill(at.port);
  await page.locator('input[name=user]').fill(decodeURIComponent(at.username));
  await page.locator('input[name=password]').fill(password);
  await page.locator('input[name=database]').fill(source.name);
  await page.locator('input[name=tables]').fill('public.orders');
  await page.getByRole('button', { name: 'Check and save' }).click();
}

const sourcePassword = () => decodeURIComponent(new URL(source.url).password);

describe('the web console', () => {
  it('serves the built app at / with an SPA fallback, and leaves /graphql and /metrics as they were', async () => {
    const home = await fetch(`${origin}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await home.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${origin}${script}`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await (await fetch(`${origin}/connectors/anything`)).text()).toBe(html);
    expect((await fetch(`${origin}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${origin}/metrics`)).status).toBe(401);
    const graphiql = await fetch(`${origin}/graphql`, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toContain('GraphiQL');
  });

  it('asks for the API token, then lists no connector', async () => {
    const { page } = browser;
    await page.goto(`${origin}/`);
    await page.getByText('a valid API token is required').first().waitFor();
    await page.locator('input[name=token]').fill(TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByText('No connector yet').waitFor();
  });

  it('checks the settings before saving: a failed check saves nothing, a passing one saves', async () => {
    const { page } = browser;
    await fillAddForm('orders_pg', 'not-the-password');
    const check = page.locator('[data-testid=check][data-ok=false]');
    await check.waitFor();
    await expect.poll(() => check.textContent()).toContain('password authentication failed');
    expect(await check.textContent()).toContain('fix: correct host, port, user, password or database');
    await page.getByRole('button', { name: 'Save anyway' }).waitFor();
    expect(await page.getByRole('button', { name: 'Start', exact: true }).count()).toBe(0);
    expect(await savedConnectors()).toEqual([]);
    await browser.screenshot('1-check-failed-nothing-saved');

    await page.locator('input[name=password]').fill(sourcePassword());
    await page.getByText('The settings changed since this check: check again.').waitFor();
    expect(await page.getByRole('button', { name: 'Save anyway' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Check and save' }).click();
    const passed = page.locator('[data-testid=check][data-ok=true]');
    await passed.waitFor();
    await expect.poll(() => passed.textContent()).toContain(`public.orders${source.name}.orders`);
    await page.getByTestId('saved').waitFor();
    expect(await savedConnectors()).toEqual(['orders_pg']);
    await browser.screenshot('2-check-passed-saved');
  });

  it('starts the saved connector from the form and fills the progress bar', async () => {
    const { page } = browser;

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.waitForURL(`${origin}/connectors/orders_pg`);
    const bar = page.getByRole('progressbar', { name: 'public.orders' });
    const seen = new Set<number>();
    let midCopyShot = false;
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      const value = Number((await bar.getAttribute('aria-valuenow', { timeout: 30_000 })) ?? -1);
      seen.add(value);
      if (value > 0 && value < 100 && !midCopyShot) {
        await browser.screenshot('3-snapshot-copying');
        midCopyShot = true;
      }
      if (value === 100) break;
      await page.waitForTimeout(100);
    }
    const between = [...seen].filter((v) => v > 0 && v < 100);
    expect(between.length, `bar values seen: ${[...seen].join(', ')}`).toBeGreaterThan(0);
    expect(seen).toContain(100);
    await page.locator('.progress[data-status=DONE]').waitFor();
    await page.getByText('CHANGE_DATA_CAPTURE').first().waitFor();
  });

  it('pauses and resumes the connector, which then applies new changes', async () => {
    const { page } = browser;
    const badge = page.getByTestId('state');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => badge.textContent()).toBe('PAUSED');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => badge.textContent(), { timeout: 20_000 }).not.toBe('PAUSED');
    await source.query(
      `INSERT INTO orders SELECT g, 'new' FROM generate_series(${ROWS + 1}, ${ROWS + 50}) g`,
    );
    const events = page.locator('.figure', { hasText: 'Events applied' }).locator('.value');
    await expect.poll(() => events.textContent(), { timeout: 20_000 }).toBe('50');
    await page.waitForTimeout(1500);
    await browser.screenshot('4-streaming-after-resume');
  });

  it('saves a connector whose check failed only on "Save anyway", then shows the error of its start', async () => {
    const { page } = browser;
    await fillAddForm('bad_pg', 'not-the-password');
    const check = page.locator('[data-testid=check][data-ok=false]');
    await check.waitFor();
    await expect.poll(() => check.textContent()).toContain('password authentication failed');
    expect(await savedConnectors()).toEqual(['orders_pg']);
    await page.getByRole('button', { name: 'Save anyway' }).click();
    await page.getByTestId('saved').waitFor();
    expect(await savedConnectors()).toEqual(['bad_pg', 'orders_pg']);
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true);
    await browser.screenshot('5-saved-anyway');

    await page.goto(`${origin}/connectors/bad_pg`);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.locator('.error', { hasText: 'password authentication failed' }).first().waitFor();
    await browser.screenshot('6-start-error');
    await page.goto(`${origin}/`);
    await page.locator('tr[data-connector=bad_pg] .badge', { hasText: 'ERROR' }).waitFor();
    await page
      .locator('tr[data-connector=orders_pg] .badge', { hasText: 'POLLING' })
      .or(page.locator('tr[data-connector=orders_pg] .badge', { hasText: 'EXECUTING' }))
      .first()
      .waitFor();
    await browser.screenshot('7-connector-list');
  });
});
