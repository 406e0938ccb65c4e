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
