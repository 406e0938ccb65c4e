// Data Explorer and Batch Operations against a server whose data dir holds three machines with
// seed data, a (tiny) TVAE and synthetic sets, prepared with the CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expectVisible, settle, setTheme, startServer, api, expectAccessible } from '../harness.mjs';
import { findBinary } from '../lib.mjs';

const MACHINES = ['pump_grundfos_cr3_004', 'motor_siemens_1la7_001', 'fan_ebmpapst_w3g910_026'];

let prepared = null;
/** The data dir, prepared once for this file: fleet init, then seed → train (5 epochs) → generate per machine. */
function dataDir() {
  prepared ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdmstudio-e2e-data-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const bin = findBinary();
    const cli = (...args) => execFileSync(bin, ['--data-dir', dir, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    const t0 = Date.now();
    cli('fleet', 'init');
    for (const id of MACHINES) {
      cli('seed', id, '--samples', '2000');
      cli('train', id, '--epochs', '5');
      cli('generate', id, '--train', '3000', '--val', '600', '--test', '600');
    }
    console.log(`    data dir prepared in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return dir;
  })();
  return prepared;
}

async function withServer(fn) {
  const server = await startServer({ dataDir: await dataDir() });
  try {
    return await fn(server);
  } finally {
    await server.dispose();
  }
}

async function openTab(page, name) {
  await page.getByRole('tab', { name, exact: true }).click();
  await page.waitForFunction((n) => document.querySelector('[role="tab"][aria-selected="true"]')?.textContent === n, name);
}

// Its own test so the CLI work does not eat into the first page test's time (the others prepare
// the dir themselves when run alone with E2E_ONLY).
test('data explorer and batch: prepare three machines with the CLI (seed, 5-epoch TVAE, synthetic sets)', async () => {
  await dataDir();
});

test('data explorer: seed data and the synthetic train set overlaid, statistics and histograms', async (t) => {
  await withServer(async (srv) => {
    const { page } = t;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/#/data/explorer?m=${MACHINES[0]}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Data Explorer' }), 'explorer heading');
    // The explorer picks the seed data and compares it with the synthetic train set.
    await expectVisible(page.getByLabel('Chosen data sets').getByText('Seed (real)'), 'seed summary', 45_000);
    await expectVisible(page.getByLabel('Chosen data sets').getByText('Synthetic train'), 'train summary');
    const summary = await page.getByLabel('Chosen data sets').innerText();
    if (!/2,000 rows/.test(summary) || !/3,000 rows/.test(summary)) throw new Error(`dataset summary: ${summary}`);

    // Column statistics of both sets, with the shift of the means.
    const stats = page.getByRole('table', { name: 'Column statistics' });
    await expectVisible(stats.getByRole('button', { name: 'flow' }), 'flow row in the stats table', 45_000);
    if ((await stats.getByText(/σ$/).count()) < 3) throw new Error('no mean shifts in the comparison table');
    for (const theme of ['dark', 'light']) {
      await setTheme(page, theme);
      await settle(page);
      await t.shot(`data-explorer-columns-${theme}`);
      await expectAccessible(page, `explorer columns, ${theme}`);
    }

    // A column opens its overlaid histogram: two bar series sharing bins, and the overlap.
    await stats.getByRole('button', { name: 'flow' }).click();
    await page.waitForFunction(() => document.querySelector('[role="tab"][aria-selected="true"]')?.textContent === 'Distributions');
    await expectVisible(page.getByTestId('histogram-summary'), 'histogram summary');
    const hs = await page.getByTestId('histogram-summary').innerText();
    if (!/Seed \(real\): 2,000 values/.test(hs) && !/Seed \(real\): [\d,]+ values/.test(hs)) throw new Error(`histogram summary: ${hs}`);
    if (!/Synthetic train: [\d,]+ values/.test(hs) || !/overlap \d+ %/.test(hs)) throw new Error(`histogram summary: ${hs}`);
    const label = await page.getByTestId('histogram-main').getByRole('img').getAttribute('aria-label');
    if (!/Seed \(real\) and Synthetic train/.test(label ?? '')) throw new Error(`histogram chart: ${label}`);
    await expectVisible(page.getByRole('button', { name: /Open the distribution of / }), 'small histograms');
    for (const theme of ['dark', 'light']) {
      await setTheme(page, theme);
      await settle(page);
      await page.waitForTimeout(400);
      await t.shot(`data-explorer-distributions-${theme}`);
      if (theme === 'light') await expectAccessible(page, `explorer distributions, ${theme}`);
    }

  });
});

test('data explorer: sensor series with server-side zoom, correlations, raw rows', async (t) => {
  await withServer(async (srv) => {
    const { page } = t;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/#/data/explorer?m=${MACHINES[0]}&d=seed&c=train&tab=series`);
    // Time series of one episode of each, on hours since the episode start.
    await expectVisible(page.getByRole('tab', { name: 'Time series', selected: true }), 'time series tab', 45_000);
    await expectVisible(page.getByTestId('series-chart'), 'series chart', 45_000);
    await expectVisible(page.getByTestId('series-chart'), 'series chart');
    const ss = await page.getByTestId('series-summary').innerText();
    if (!/Showing [\d,]+ points of [\d,]+/.test(ss)) throw new Error(`series summary: ${ss}`);
    const sl = await page.getByTestId('series-chart').getByRole('img').getAttribute('aria-label');
    if (!/Seed \(real\) episode \d+ and Synthetic train episode \d+/.test(sl ?? '')) throw new Error(`series chart: ${sl}`);
    for (const theme of ['dark', 'light']) {
      await setTheme(page, theme);
      await settle(page);
      await page.waitForTimeout(400);
      await t.shot(`data-explorer-series-${theme}`);
      if (theme === 'dark') await expectAccessible(page, `explorer series, ${theme}`);
    }
    // All 2,000 seed rows: the server downsamples to 1,500 points; zooming in fetches the
    // visible range at full resolution.
    await page.getByLabel('Episode of Seed (real)').click();
    await page.getByRole('option', { name: 'All rows' }).click();
    const seedLine = /Showing [\d,]+ points of/;
    await page.waitForFunction(() => /All rows/.test(document.querySelector('#series-unit-a')?.textContent ?? ''));
    await expectVisible(page.getByTestId('series-chart'), 'series chart, all rows');
    if (!seedLine.test(await page.getByTestId('series-summary').innerText())) throw new Error('no series summary');
    const box = await page.getByTestId('series-chart').boundingBox();
    await page.mouse.move(box.x + box.width * 0.3, box.y + 120);
    for (let i = 0; i < 6; i++) {
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(60);
    }
    await page.waitForFunction(() => /in the zoomed range/.test(document.querySelector('[data-testid="series-summary"]')?.textContent ?? ''), null, { timeout: 15_000 });
    await page.waitForFunction(
      () => {
        const m = /Showing ([\d,]+) points of ([\d,]+) in the zoomed range/.exec(document.querySelector('[data-testid="series-summary"]')?.textContent ?? '');
        return m && m[1] === m[2];
      },
      null,
      { timeout: 15_000 },
    ).catch(async () => {
      throw new Error(`zoomed series not at full resolution: ${await page.getByTestId('series-summary').innerText()}`);
    });
    await page.getByRole('button', { name: 'Reset zoom' }).click();

    // Correlations side by side, and the raw rows one page at a time.
    await openTab(page, 'Correlation');
    await expectVisible(page.getByRole('img', { name: /Correlation heatmap of \d+ columns of Seed/ }), 'seed heatmap');
    await expectVisible(page.getByRole('img', { name: /Correlation heatmap of \d+ columns of Synthetic train/ }), 'train heatmap');
    await settle(page);
    await page.waitForTimeout(400);
    await t.shot('data-explorer-correlation-light');
    await expectAccessible(page, 'explorer correlation, light');
    await openTab(page, 'Rows');
    const rows = page.getByRole('table', { name: 'Rows of Seed (real)' });
    await expectVisible(rows, 'rows table');
    await expectVisible(page.getByText('1–50 of 2,000'), 'pagination of 2,000 rows');
    await page.getByRole('button', { name: 'Go to next page' }).click();
    await expectVisible(page.getByText('51–100 of 2,000'), 'second page');
    await setTheme(page, 'dark');
    await settle(page);
    await t.shot('data-explorer-rows-dark');
    await expectAccessible(page, 'explorer rows, dark');
  });
});

test('batch operations: validate three machines, progress from job events', async (t) => {
  await withServer(async (srv) => {
    const { page } = t;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/#/data/batch`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Batch Operations' }), 'batch heading');
    await page.evaluate(() => localStorage.removeItem('pdmstudio.batch.current'));
    await page.reload();
    await expectVisible(page.getByRole('radio', { name: 'Validation' }), 'validation operation', 45_000);
    await page.getByRole('radio', { name: 'Validation' }).check();
    await expectVisible(page.getByRole('button', { name: 'Select the 3 ready' }), 'select-ready button (3 machines have synthetic data)');
    await page.getByLabel('Search machines').fill('pump_grundfos');
    await page.getByRole('checkbox', { name: `Select ${MACHINES[0]}` }).check();
    await page.getByLabel('Search machines').fill('');
    for (const id of MACHINES.slice(1)) await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    await expectVisible(page.getByText('3 of 26 selected'), 'three selected');
    for (const theme of ['dark', 'light']) {
      await setTheme(page, theme);
      await settle(page);
      await t.shot(`batch-operations-setup-${theme}`);
      await expectAccessible(page, `batch setup, ${theme}`);
    }

    await page.getByRole('button', { name: 'Run validation on 3 machines' }).click();
    await expectVisible(page.getByRole('table', { name: 'Progress per machine' }), 'progress table');
    for (const id of MACHINES) await expectVisible(page.getByTestId(`batch-row-${id}`), `row of ${id}`);
    // Every row ends succeeded, driven by job events; the headline says so.
    await page.waitForFunction(
      (ids) => ids.every((id) => document.querySelector(`[data-testid="batch-row-${id}"]`)?.getAttribute('data-status') === 'succeeded'),
      MACHINES,
      { timeout: 150_000 },
    );
    await expectVisible(page.getByTestId('batch-headline').getByText('All 3 finished'), 'all finished');
    for (const id of MACHINES) {
      const v = await api(srv.url, 'Onboarding', 'Validation', [id]);
      if (!v || typeof v.report?.overall !== 'number') throw new Error(`no validation report for ${id}`);
    }
    for (const theme of ['dark', 'light']) {
      await setTheme(page, theme);
      await settle(page);
      await t.shot(`batch-operations-done-${theme}`);
      await expectAccessible(page, `batch done, ${theme}`);
    }

    // A batch where machines are not ready: each one's failure is listed with its message.
    await page.getByRole('button', { name: 'New batch' }).click();
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('radio', { name: 'Validation' }).check();
    await page.getByLabel('Search machines').fill('chiller');
    await page.getByRole('checkbox', { name: 'Select all shown machines' }).check();
    await expectVisible(page.getByText(/have no synthetic data yet/), 'not-ready warning');
    await page.getByRole('button', { name: /Run validation on 2 machines/ }).click();
    await expectVisible(page.getByTestId('batch-failures'), 'failure summary');
    const failures = await page.getByTestId('batch-failures').innerText();
    if (!/2 machines did not finish/.test(failures) || !/chiller_carrier_30xa_021: .*no seed dataset/.test(failures)) throw new Error(`failures: ${failures}`);
    await settle(page);
    await t.shot('batch-operations-failures-light');
  });
});
