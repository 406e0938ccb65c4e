// The fleet dashboard: empty state, and a bootstrapped fleet (counts, filter, acknowledge).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expectVisible, settle, setTheme, api, startServer, expectAccessible } from '../harness.mjs';
import { findBinary } from '../lib.mjs';

// A small fleet bootstraps in about a minute with the CLI's hidden --tiny settings.
const READY = ['motor_siemens_1la7_001', 'pump_grundfos_cr3_004', 'fan_ebmpapst_w3g910_026'];

function cli(dir, ...args) {
  return execFileSync(findBinary(), ['--data-dir', dir, ...args], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function counts(page) {
  const out = {};
  for (const s of ['healthy', 'degrading', 'warning', 'critical']) {
    out[s] = Number(await page.getByTestId(`fleet-count-${s}`).getAttribute('data-value'));
  }
  return out;
}

async function cardStatuses(page) {
  return page.getByTestId('machine-card').evaluateAll((cs) => cs.map((c) => c.dataset.status));
}

test('dashboard on an empty data dir offers the demo fleet', async ({ page, url, shot }) => {
  await page.goto(url);
  await expectVisible(page.getByRole('heading', { level: 1, name: 'Dashboard' }), 'dashboard heading');
  await expectVisible(page.getByText('No machines yet'), 'empty state');
  await expectVisible(page.getByRole('button', { name: 'Bootstrap the demo fleet' }), 'bootstrap button');
  if (await page.getByTestId('fleet-count-healthy').count()) throw new Error('fleet counts shown without machines');
  await settle(page);
  await shot('dashboard-empty');
});

test('dashboard shows the bootstrapped fleet: counts, filter by status, acknowledge an alert', async ({ page, shot }) => {
  const dir = mkdtempSync(join(tmpdir(), 'pdmstudio-e2e-fleet-'));
  let server;
  try {
    const boot = JSON.parse(cli(dir, 'fleet', 'bootstrap', '--tiny', '--only', READY.join(','), '--json'));
    if (boot.bootstrapped !== READY.length || boot.failed !== 0) throw new Error(`bootstrap: ${JSON.stringify(boot)}`);
    // No replay step during the test (an hour's interval), and an RUL horizon past any life so
    // every ready machine has an alert to acknowledge.
    cli(dir, 'telemetry', 'settings', '--interval', '3600', '--rul-horizon', '100000', '--json');
    const status = JSON.parse(cli(dir, 'fleet', 'status', '--json'));
    if (status.machines.length !== 26 || status.machines.filter((m) => m.ready).length !== READY.length) {
      throw new Error(`fleet status: ${status.machines.length} machines, ${status.machines.filter((m) => m.ready).length} ready`);
    }
    server = await startServer({ dataDir: dir });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(server.url);
    await expectVisible(page.getByTestId('fleet-card-healthy'), 'fleet cards');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="machine-card"]').length === 26, null, { timeout: 20_000 });

    // The cards count what the backend predicted (the CLI's refresh on the same readings).
    const shown = await counts(page);
    for (const s of Object.keys(shown)) {
      if (shown[s] !== status.counts[s]) throw new Error(`${s}: dashboard shows ${shown[s]}, backend counted ${status.counts[s]} (${JSON.stringify(status.counts)})`);
    }
    const statuses = await cardStatuses(page);
    for (const s of ['healthy', 'degrading', 'warning', 'critical', 'unknown']) {
      const n = statuses.filter((x) => x === s).length;
      if (n !== status.counts[s]) throw new Error(`${n} ${s} machine cards, backend counted ${status.counts[s]}`);
    }
    if (status.counts.unknown !== 26 - READY.length) throw new Error(`unknown ${status.counts.unknown}`);
    // Worst first: no card is followed by a worse one.
    const rank = { critical: 0, warning: 1, degrading: 2, healthy: 3, unknown: 4 };
    for (let i = 1; i < statuses.length; i++) if (rank[statuses[i]] < rank[statuses[i - 1]]) throw new Error(`cards not sorted by status: ${statuses.join(',')}`);
    for (const id of READY) await expectVisible(page.locator(`[data-machine="${id}"] >> text=Updated`), `${id} card with its update time`);

    for (const theme of ['dark', 'light']) {
      await setTheme(page, theme);
      await settle(page);
      await page.waitForTimeout(1000); // count-up animation
      await shot(`dashboard-fleet-${theme}`);
      await expectAccessible(page, `dashboard (${theme})`);
    }

    // Filter by clicking a fleet card with machines in it, then back.
    const target = ['critical', 'warning', 'degrading', 'healthy'].find((s) => status.counts[s] > 0);
    const card = page.getByTestId(`fleet-card-${target}`);
    await card.click();
    if ((await card.getAttribute('aria-pressed')) !== 'true') throw new Error('fleet card not pressed after click');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="machine-card"]').length === n, status.counts[target], { timeout: 10_000 });
    const filtered = await cardStatuses(page);
    if (filtered.some((s) => s !== target)) throw new Error(`filter ${target} shows ${filtered.join(',')}`);
    await shot('dashboard-filtered');
    await card.click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="machine-card"]').length === 26, null, { timeout: 10_000 });
    // The status menu filters too.
    await page.getByRole('combobox', { name: /^Status/ }).click();
    await page.getByRole('option', { name: 'Not ready' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="machine-card"]').length === n, 26 - READY.length, { timeout: 10_000 });
    if ((await cardStatuses(page)).some((s) => s !== 'unknown')) throw new Error('status menu filter shows other statuses');

    // Acknowledge an alert: the panel and the backend agree.
    const open = await api(server.url, 'Fleet', 'Alerts', [{ state: 'open' }]);
    if (open.filter((a) => a.cause === 'rul').length !== READY.length) throw new Error(`${open.length} open alerts: ${open.map((a) => `${a.machine_id}/${a.cause}`).join(', ')}`);
    const item = page.locator('[data-testid="alert-item"][data-state="active"]').first();
    await expectVisible(item, 'an active alert');
    const id = await item.getAttribute('data-alert');
    await item.getByRole('button', { name: /^Acknowledge alert on / }).click();
    await page.waitForFunction((a) => document.querySelector(`[data-alert="${a}"]`)?.dataset.state === 'acknowledged', id, { timeout: 10_000 });
    const acked = await api(server.url, 'Fleet', 'Alerts', [{ state: 'acknowledged' }]);
    if (!acked.some((a) => a.id === id && a.acknowledged_by)) throw new Error(`alert ${id} is not acknowledged in the backend: ${JSON.stringify(acked)}`);
    const listed = JSON.parse(cli(dir, 'alerts', 'list', '--state', 'acknowledged', '--json'));
    if (!listed.some((a) => a.id === id)) throw new Error('`alerts list --state acknowledged` does not list it');
  } finally {
    await page.goto('about:blank').catch(() => {}); // close the event stream before the server goes
    if (server) await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Boxes of the first screen's parts, to compare the first paint with the app that replaces it.
function layout() {
  const box = (sel) => {
    const e = document.querySelector(sel);
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return [r.x, r.y, r.width, r.height].map((v) => Math.round(v * 2) / 2);
  };
  const cards = [...document.querySelectorAll('[data-testid="machine-card"]')].map((c) => [c.dataset.machine, c.dataset.status, Math.round(c.getBoundingClientRect().y * 2) / 2]);
  return {
    h1: box('h1'),
    fleet: box('.pdm-fc-grid'),
    grid: box('[data-testid="machine-grid"]'),
    card: box('[data-testid="machine-card"]'),
    nav: box('.pdm-sb__nav'),
    cards,
    counts: ['healthy', 'degrading', 'warning', 'critical'].map((s) => document.querySelector(`[data-testid="fleet-count-${s}"]`)?.textContent),
  };
}

test('dashboard first paint: the fleet is drawn before the app loads, and the app takes over in place', async ({ page, shot }) => {
  const dir = mkdtempSync(join(tmpdir(), 'pdmstudio-e2e-first-'));
  let server;
  try {
    // A fleet whose machines are all ready (the first paint leaves machines being prepared to the app).
    const boot = JSON.parse(cli(dir, 'fleet', 'bootstrap', '--tiny', '--only', READY.join(','), '--json'));
    if (boot.bootstrapped !== READY.length) throw new Error(`bootstrap: ${JSON.stringify(boot)}`);
    for (const m of JSON.parse(cli(dir, 'machines', 'list', '--json'))) if (!READY.includes(m.machine_id)) cli(dir, 'machines', 'delete', m.machine_id, '--json');
    cli(dir, 'telemetry', 'settings', '--interval', '3600', '--json');
    const status = JSON.parse(cli(dir, 'fleet', 'status', '--json')); // stores the overview a start shows first
    if (status.machines.length !== READY.length || !status.machines.every((m) => m.ready)) throw new Error(`fleet: ${JSON.stringify(status.counts)}`);
    server = await startServer({ dataDir: dir });
    await page.setViewportSize({ width: 1280, height: 900 });

    for (const theme of ['dark', 'light']) {
      // Hold the app's chunk back: what is on screen then is the first paint alone.
      let release;
      const held = new Promise((r) => (release = r));
      await page.route(/\/assets\/main-[^/]*\.js$/, async (route) => {
        await held;
        await route.continue();
      });
      await page.addInitScript((t) => {
        if (location.protocol.startsWith('http')) localStorage.setItem('pdmstudio.ui.theme', t);
      }, theme);
      await page.goto('about:blank'); // a new document each time (not a hash change)
      await page.goto(`${server.url}/#/`);
      await page.waitForSelector('[data-prepaint] [data-testid="machine-card"]', { timeout: 15_000 });
      await page.evaluate(() => document.fonts.ready);
      const first = await page.evaluate(layout);
      if (first.cards.length !== READY.length) throw new Error(`first paint shows ${first.cards.length} machine cards`);
      for (const [id, st] of first.cards) {
        const m = status.machines.find((x) => x.id === id);
        if (!m || m.status !== st) throw new Error(`first paint: ${id} is ${st}, the backend says ${m?.status}`);
      }
      const want = ['healthy', 'degrading', 'warning', 'critical'].map((s) => String(status.counts[s]));
      if (first.counts.join() !== want.join()) throw new Error(`first paint counts ${first.counts} != ${want}`);
      await shot(`dashboard-first-paint-${theme}`);

      // Let the app in: it replaces the first paint without moving anything drawn.
      release();
      await page.waitForFunction(() => !document.querySelector('[data-prepaint]') && performance.getEntriesByName('pdm:dashboard-interactive').length > 0, null, { timeout: 30_000 });
      await settle(page);
      const app = await page.evaluate(layout);
      // (The heading's box narrows where the app adds the refresh indicator beside it; its text stays put.)
      if (JSON.stringify(first.h1.slice(0, 2)) !== JSON.stringify(app.h1.slice(0, 2))) throw new Error(`the heading moved: ${first.h1} → ${app.h1}`);
      for (const k of ['fleet', 'grid', 'card', 'nav']) {
        if (JSON.stringify(first[k]) !== JSON.stringify(app[k])) throw new Error(`${k} moved when the app took over: ${JSON.stringify(first[k])} → ${JSON.stringify(app[k])}`);
      }
      if (JSON.stringify(first.cards) !== JSON.stringify(app.cards)) throw new Error(`machine cards changed: ${JSON.stringify(first.cards)} → ${JSON.stringify(app.cards)}`);
      if (app.counts.join() !== want.join()) throw new Error(`app counts ${app.counts} != ${want}`);
      const ready = await page.evaluate(() => performance.getEntriesByName('pdm:dashboard-ready')[0]?.detail);
      if (!ready?.prepaint) throw new Error(`dashboard-ready was not marked by the first paint: ${JSON.stringify(ready)}`);
      // And it is the live app: a fleet card filters.
      const target = ['critical', 'warning', 'degrading', 'healthy'].find((s) => status.counts[s] > 0);
      await page.getByTestId(`fleet-card-${target}`).click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="machine-card"]').length === n, status.counts[target], { timeout: 10_000 });
      await page.unroute(/\/assets\/main-[^/]*\.js$/);
    }
  } finally {
    await page.goto('about:blank').catch(() => {});
    if (server) await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
