// The machine page and the ML pages (Predictions, Model Performance, Training, Feature
// Importance) against a server whose data dir holds one machine taken through the whole pipeline
// with tiny settings (seed → TVAE → synthetic sets → validation → four models), prepared with the CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expectVisible, settle, setTheme, startServer, api, expectAccessible } from '../harness.mjs';
import { findBinary } from '../lib.mjs';

const ID = 'motor_e2e_001';

let prepared = null;
/** The data dir, prepared once for this file. */
function dataDir() {
  prepared ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdmstudio-e2e-ml-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const bin = findBinary();
    const cli = (...args) => execFileSync(bin, ['--data-dir', dir, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    const t0 = Date.now();
    const profile = join(dir, 'profile.json');
    cli('templates', 'get', 'motor', '--format', 'json', '--out', profile);
    const p = JSON.parse(readFileSync(profile, 'utf8'));
    Object.assign(p, { machine_id: ID, name: 'Line 3 main drive motor', site: 'Hamburg Plant', line: 'Line 3 – Assembly' });
    writeFileSync(profile, JSON.stringify(p));
    cli('machines', 'create', '--profile', profile);
    cli('seed', ID, '--samples', '2000');
    cli('train', ID, '--epochs', '5');
    cli('generate', ID, '--train', '2000', '--val', '500', '--test', '500');
    cli('validate', ID);
    cli('models', 'train', ID);
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

/** The live fleet refreshes every 2 s, advancing the replay, so predictions pile up in the log. */
async function fastTelemetry(url) {
  const s = await api(url, 'Telemetry', 'Settings');
  await api(url, 'Telemetry', 'SaveSettings', [{ ...s, refresh_interval_s: 2, speed: 5 }]);
}

async function waitForLogged(url, n, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await api(url, 'Models', 'Predictions', [ID, 'classification', 50]);
    if ((rows ?? []).length >= n) return rows;
    if (Date.now() > deadline) throw new Error(`only ${(rows ?? []).length} predictions logged after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits until the page's charts have drawn (canvases with a size) and returns how many there are. */
async function chartsDrawn(page, atLeast) {
  await page.waitForFunction(
    (n) => [...document.querySelectorAll('main [role="img"] canvas')].filter((c) => c.width > 50 && c.height > 50).length >= n,
    atLeast,
    { timeout: 20_000 },
  ).catch(async () => {
    const got = await page.evaluate(() => document.querySelectorAll('main [role="img"] canvas').length);
    throw new Error(`expected at least ${atLeast} drawn charts, found ${got}`);
  });
  return page.evaluate(() => document.querySelectorAll('main [role="img"] canvas').length);
}

/**
 * Waits for the factors panel of the shown prediction: a chart, or the note that no input moved it
 * (occlusion can leave every factor at zero for a flat tree model). Returns how many charts it drew.
 */
async function factorsShown(page) {
  const chart = page.getByRole('img', { name: /^Top factors of the prediction/ });
  const none = page.getByText('This prediction carries no factors.');
  await chart.or(none).first().waitFor({ state: 'visible', timeout: 20_000 });
  return (await chart.count()) > 0 ? 1 : 0;
}

async function bothThemes(t, name, check, themes = ['dark', 'light']) {
  for (const theme of themes) {
    await setTheme(t.page, theme);
    await t.page.mouse.move(5, 795); // no tooltip of the theme button in the picture
    await settle(t.page);
    await t.page.waitForTimeout(400); // charts redraw in the new palette
    await t.shot(`${name}-${theme}`);
    if (check) await expectAccessible(t.page, `${name} (${theme})`);
  }
}

async function openTab(page, name) {
  await page.getByRole('tab', { name, exact: true }).click();
  await page.waitForFunction((n) => document.querySelector('[role="tab"][aria-selected="true"]')?.textContent === n, name);
}

test('machine page: sensors with thresholds, health, RUL, anomaly, forecast, history and models', async (t) => {
  await withServer(async (srv) => {
    const { page } = t;
    await fastTelemetry(srv.url);
    await waitForLogged(srv.url, 3);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/#/machines/${ID}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Line 3 main drive motor' }), 'machine heading');
    for (const h of ['Sensors', 'Health state', 'Remaining useful life', 'Anomaly score', 'Forecast', 'Top factors of the latest prediction', 'Prediction history', 'Models in use']) {
      await expectVisible(page.getByRole('heading', { level: 2, name: h, exact: true }), `section ${h}`);
    }
    // One chart per sensor (8 in the motor profile) plus state, RUL, anomaly, the forecasts and factors.
    const charts = await chartsDrawn(page, 14);
    // The sensor charts name their thresholds from the profile.
    const vib = await page.getByRole('img', { name: /^vibration_de over time in mm\/s, thresholds warning 3\.5, trip 7\.1/ }).count();
    if (vib !== 1) throw new Error('the vibration_de chart does not carry its warning/trip thresholds');
    await expectVisible(page.getByRole('img', { name: /^Anomaly score over time against the threshold/ }), 'anomaly chart');
    await expectVisible(page.getByRole('img', { name: /^Remaining useful life over time with its prediction interval/ }), 'RUL chart');
    // The models in use are the four active versions.
    const rows = await page.getByRole('table', { name: 'Active model versions' }).locator('tbody tr').count();
    if (rows !== 4) throw new Error(`${rows} active models listed, want 4`);
    const logged = await page.getByRole('table', { name: 'Logged predictions, newest first' }).locator('tbody tr').count();
    if (logged < 3) throw new Error(`${logged} logged predictions listed`);
    console.log(`    ${charts} charts on the machine page`);
    await bothThemes(t, 'ml-machine-detail', true);

    // An unknown machine says so instead of failing.
    t.allow(/\/api\/call\/Machines\/Get/);
    t.allow(/Failed to load resource: the server responded with a status of 404/);
    await page.goto(`${srv.url}/#/machines/no_such_machine`);
    await expectVisible(page.getByText('There is no machine "no_such_machine"'), 'unknown machine');
  });
});

test('predictions, model performance and feature importance pages with a trained machine', async (t) => {
  await withServer(async (srv) => {
    const { page } = t;
    await fastTelemetry(srv.url);
    await waitForLogged(srv.url, 3);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Predictions: the latest health state with confidence, its factors and the history.
    await page.goto(`${srv.url}/#/ml/predictions?machine=${ID}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Predictions' }), 'predictions heading');
    await expectVisible(page.getByText(/^confidence /), 'confidence');
    await factorsShown(page);
    await expectVisible(page.getByRole('img', { name: 'History of the logged classification predictions over time' }), 'history chart');
    // Run a prediction from the UI: one more row in the log.
    const before = (await api(srv.url, 'Models', 'Predictions', [ID, 'rul', 500])).length;
    await page.getByRole('button', { name: 'Run prediction' }).click();
    await expectVisible(page.getByText(`Predicted 4 tasks for ${ID}`), 'prediction toast');
    const after = (await api(srv.url, 'Models', 'Predictions', [ID, 'rul', 500])).length;
    if (after <= before) throw new Error(`Run prediction logged nothing (${before} → ${after})`);
    await openTab(page, 'Remaining life');
    await expectVisible(page.getByText(/80% interval: /), 'RUL interval');
    // Selecting an older prediction shows its factors.
    await page.getByRole('button', { name: /^Show the factors of the prediction at / }).nth(1).click();
    await expectVisible(page.getByRole('heading', { name: 'Remaining life', exact: true }), 'selected prediction card');
    await chartsDrawn(page, 1 + (await factorsShown(page)));
    await bothThemes(t, 'ml-predictions-rul', true);
    await openTab(page, 'Health state');
    await chartsDrawn(page, 1 + (await factorsShown(page)));
    await bothThemes(t, 'ml-predictions-state', false, ['dark']);
    await openTab(page, 'Forecast');
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Forecast from the latest readings' }), 'forecast panel');
    await expectVisible(page.getByRole('img', { name: /^bearing_temp_de: the last readings and the forecast of the next \d+ steps with a 80% interval/ }), 'forecast chart');
    await chartsDrawn(page, 2 + (await factorsShown(page)));
    await bothThemes(t, 'ml-predictions-forecast', false, ['light']);

    // Model Performance: each task's plots.
    await page.goto(`${srv.url}/#/ml/performance?machine=${ID}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Model Performance' }), 'performance heading');
    await expectVisible(page.getByRole('img', { name: /^Confusion matrix/ }), 'confusion matrix');
    await expectVisible(page.getByRole('img', { name: /^Reliability diagram/ }), 'calibration');
    await chartsDrawn(page, 2);
    await bothThemes(t, 'ml-performance-classification', true);
    await page.getByRole('button', { name: 'Real data' }).click();
    await expectVisible(page.getByText(/Real seed data \(train on synthetic, test on real\) · [\d,]+ rows/), 'test-on-real metrics');
    await openTab(page, 'Remaining life');
    await expectVisible(page.getByRole('img', { name: /^RUL residual plot/ }), 'residual plot');
    await chartsDrawn(page, 1);
    await bothThemes(t, 'ml-performance-rul', false, ['dark']);
    await openTab(page, 'Anomaly');
    await expectVisible(page.getByRole('img', { name: /^Anomaly detection precision against recall/ }), 'precision/recall');
    await bothThemes(t, 'ml-performance-anomaly', false, ['dark']);
    await openTab(page, 'Forecast');
    await expectVisible(page.getByRole('img', { name: /^Forecast MAPE by steps ahead/ }), 'forecast error by horizon');
    await chartsDrawn(page, 2);
    await bothThemes(t, 'ml-performance-forecast', false, ['dark']);

    // Feature importance: one bar chart per task, and the latest prediction's factors.
    await page.goto(`${srv.url}/#/ml/features?machine=${ID}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Feature Importance' }), 'importance heading');
    const bars = await page.getByRole('img', { name: /^Global feature importance: / }).count();
    if (bars !== 4) throw new Error(`${bars} importance charts, want 4`);
    // Each task's latest prediction shows its factors, or says that no sensor moved it (a tiny model can be flat).
    const factorPanels = page.locator('section[aria-labelledby^="factor-"]');
    await page.waitForFunction(
      () => [...document.querySelectorAll('section[aria-labelledby^="factor-"]')].filter((p) => p.querySelector('canvas') || /No sensor moved this prediction/.test(p.textContent ?? '')).length === 3,
      null,
      { timeout: 20_000 },
    ).catch(async () => {
      throw new Error(`latest-prediction panels: ${(await factorPanels.allTextContents()).join(' | ')}`);
    });
    const flat = await page.getByText(/^No sensor moved this prediction/).count();
    await chartsDrawn(page, 7 - flat);
    await bothThemes(t, 'ml-feature-importance', true);
  });
});

test('training: retrain a model as a job, compare it with the active one, activate it and roll back', async (t) => {
  await withServer(async (srv) => {
    const { page } = t;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/#/ml/training?machine=${ID}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Model Training' }), 'training heading');
    await expectVisible(page.getByRole('table', { name: 'Health state versions' }), 'versions of the health-state model');
    await bothThemes(t, 'ml-training', true);

    // Retrain the health-state and RUL models of the machine (preselected from the URL).
    await expectVisible(page.getByRole('button', { name: ID }), 'machine chip preselected');
    await page.getByRole('checkbox', { name: 'Anomaly' }).uncheck();
    await page.getByRole('checkbox', { name: 'Forecast' }).uncheck();
    await page.getByRole('spinbutton', { name: 'Random seed' }).fill('2'); // another initialisation: another model
    await page.getByRole('button', { name: 'Train 2 models' }).click();
    // The job appears with its progress, then succeeds.
    const jobs = page.getByRole('region', { name: 'Training jobs' });
    await expectVisible(jobs.getByText(ID), 'training job card');
    const sawProgress = await jobs
      .getByRole('progressbar')
      .first()
      .waitFor({ state: 'visible', timeout: 5000 })
      .then(() => true)
      .catch(() => false);
    if (sawProgress) await t.shot('ml-training-running');
    await expectVisible(jobs.getByText('Succeeded'), 'training succeeded', 90_000);

    // The new versions wait, compared with the active ones.
    const alert = page.getByRole('alert', { name: 'New Health state version v2' });
    await expectVisible(alert, 'comparison of the new health-state version');
    await expectVisible(alert.getByRole('columnheader', { name: 'v2 (new)' }), 'new version column');
    await expectVisible(alert.getByRole('columnheader', { name: 'v1 (active)' }), 'active version column');
    await page.mouse.move(5, 795);
    await settle(page);
    await t.shot('ml-training-compare-light');
    let vs = await api(srv.url, 'Models', 'Versions', [ID]);
    const active = (task) => vs.filter((v) => v.model_type === task && v.is_active).map((v) => v.version).join(',');
    if (active('classification') !== 'v1' || vs.filter((v) => v.model_type === 'classification').length !== 2) throw new Error('the new version should wait inactive');

    // Activate v2 through the UI; the API agrees.
    await alert.getByRole('button', { name: 'Activate v2' }).click();
    await expectVisible(page.getByText('Health state v2 is now active'), 'activation toast');
    vs = await api(srv.url, 'Models', 'Versions', [ID]);
    if (active('classification') !== 'v2') throw new Error(`classification active: ${active('classification')}, want v2`);
    if (active('rul') !== 'v1') throw new Error(`rul active: ${active('rul')}, want v1 (not activated)`);

    // Roll back to v1.
    await page.getByRole('button', { name: 'Roll back to Health state v1' }).click();
    await expectVisible(page.getByText('Health state v1 is now active'), 'rollback toast');
    vs = await api(srv.url, 'Models', 'Versions', [ID]);
    if (active('classification') !== 'v1') throw new Error(`after rollback: ${active('classification')}, want v1`);
    await setTheme(page, 'dark');
    await page.mouse.move(5, 795);
    await settle(page);
    await t.shot('ml-training-after-dark');
  });
});

test('machine page: import readings from a CSV file, a refused file changes nothing, and back to the replay', async (t) => {
  await withServer(async (srv) => {
    const { page } = t;
    await page.setViewportSize({ width: 1280, height: 900 });
    const dir = mkdtempSync(join(tmpdir(), 'pdmstudio-e2e-import-'));
    try {
      // The machine's own seed data, exported as CSV the way a user would download it.
      const exported = await api(srv.url, 'Datasets', 'Export', [ID, 'seed', 'csv']);
      const good = join(dir, 'line3-readings.csv');
      writeFileSync(good, Buffer.from(exported.content_base64, 'base64'));
      const bad = join(dir, 'wrong-machine.csv');
      writeFileSync(bad, 'timestamp,pressure_bar,flow_m3h\n2026-11-01T00:00:00Z,4.1,12.5\n2026-11-01T00:01:00Z,4.2,12.4\n');

      await page.goto(`${srv.url}/#/machines/${ID}`);
      await expectVisible(page.getByRole('heading', { level: 1, name: 'Line 3 main drive motor' }), 'machine heading');
      const sourceBefore = (await api(srv.url, 'Telemetry', 'History', [ID, {}])).source;

      await page.getByRole('button', { name: 'Import readings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Import readings' });
      await expectVisible(dialog.getByText(/One column per sensor, named as in the profile: .*vibration_de/), 'required columns');

      // A file of another machine's sensors is refused with the reason, and the source stays.
      t.allow(/\/api\/call\/Telemetry\/ImportFile/);
      t.allow(/Failed to load resource: the server responded with a status of 400/);
      await dialog.getByLabel('Readings file').setInputFiles(bad);
      await expectVisible(dialog.getByText('wrong-machine.csv was not imported; nothing changed.'), 'refusal');
      const sourceAfterBad = (await api(srv.url, 'Telemetry', 'History', [ID, {}])).source;
      if (sourceAfterBad !== sourceBefore) throw new Error(`a refused file changed the telemetry source: ${sourceBefore} → ${sourceAfterBad}`);
      await t.shot('ml-import-readings-refused');

      await dialog.getByLabel('Readings file').setInputFiles(good);
      await expectVisible(dialog.getByText(/^Imported [\d,]+ readings from line3-readings\.csv$/), 'import summary');
      const summary = await dialog.getByRole('status').textContent();
      if (!/Ignored columns: .*health_state/.test(summary ?? '')) throw new Error(`the summary does not name the ignored label column: ${summary}`);
      await t.shot('ml-import-readings-done');
      const hist = await api(srv.url, 'Telemetry', 'History', [ID, {}]);
      if (!String(hist.source).includes('import')) throw new Error(`telemetry source after the import: ${hist.source}`);
      await dialog.getByRole('button', { name: 'Done' }).click();
      await expectVisible(page.getByText(/imported readings/).first(), 'the page names the imported readings as the source');

      // And back: the dialog offers the replay again; the imported file goes and the page follows.
      await page.getByRole('button', { name: 'Import readings' }).click();
      await expectVisible(dialog.getByText(/runs on imported readings now/), 'imported-source notice');
      await t.shot('ml-import-readings-imported');
      await dialog.getByRole('button', { name: 'Replay data sets' }).click();
      await expectVisible(page.getByText(`${ID} replays its data sets again`), 'replay toast');
      const deadline = Date.now() + 20_000;
      let back = '';
      while (Date.now() < deadline) {
        back = String((await api(srv.url, 'Telemetry', 'History', [ID, {}])).source);
        if (back && !back.includes('import')) break;
        await page.waitForTimeout(250);
      }
      if (back.includes('import')) throw new Error(`telemetry source after going back to the replay: ${back}`);
      await expectVisible(page.getByText(/live replay of the (held-out test set|seed data)/).first(), 'the page names the replay as the source again');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
