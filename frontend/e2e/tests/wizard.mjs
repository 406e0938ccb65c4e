// The New Machine wizard and the Machines page: a machine from a template through all five steps
// to the validation report (small settings), leaving and resuming a running training, cancel, an
// invalid upload with its field errors, and the machines table with its delete confirmation.
// Each test runs its own server on a fresh data dir, so the shared one stays empty.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, api, startServer, expectVisible, settle, setTheme, currentTheme, expectAccessible } from '../harness.mjs';
import { REPO_DIR, findBinary } from '../lib.mjs';

/** Screenshots in the current theme and the other one (each checked with axe), then back. */
async function shots(page, shot, name) {
  await settle(page);
  const first = await currentTheme(page);
  const other = first === 'dark' ? 'light' : 'dark';
  await page.mouse.move(0, 0); // no tooltip left over from the theme button
  await shot(`${name}-${first}`);
  await expectAccessible(page, `${name} (${first})`, { pageOnly: true });
  await setTheme(page, other);
  await page.mouse.move(0, 0);
  await settle(page);
  await page.waitForTimeout(350); // charts repaint in the new palette
  await shot(`${name}-${other}`);
  await expectAccessible(page, `${name} (${other})`, { pageOnly: true });
  await setTheme(page, first);
}

/** One screenshot in the current theme, optionally checked with axe. */
async function shotOne(page, shot, name, check = false) {
  await settle(page);
  await page.mouse.move(0, 0);
  await shot(`${name}-${await currentTheme(page)}`);
  if (check) await expectAccessible(page, name, { pageOnly: true });
}

async function withServer(fn) {
  const server = await startServer();
  try {
    await fn(server);
  } finally {
    await server.dispose();
  }
}

async function fill(page, label, value) {
  const f = page.getByRole('textbox', { name: label, exact: true });
  await f.fill(String(value));
}

async function machineParam(page) {
  return new URL(page.url().replace('#/', '')).searchParams.get('machine');
}

test('wizard: a new machine from a template through all five steps to the validation report', async ({ page, shot }) => {
  await withServer(async (srv) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/#/machines/new`);
    await setTheme(page, 'dark');
    await expectVisible(page.getByRole('heading', { level: 1, name: 'New Machine' }), 'wizard heading');
    await expectVisible(page.getByRole('radio', { name: /Electric motor/ }), 'template picker');
    await shotOne(page, shot, 'wizard-0-start');

    // Step 1: the motor template, with a free machine id filled in, valid as it stands.
    await page.getByRole('radio', { name: /Electric motor/ }).click();
    const idField = page.getByRole('textbox', { name: 'Machine ID' });
    await expectVisible(idField, 'machine id field');
    const id = await idField.inputValue();
    if (!/^[a-z0-9_]{3,100}$/.test(id)) throw new Error(`suggested machine id "${id}" is not valid`);
    await expectVisible(page.getByText('The profile is valid.'), 'valid profile', 20_000);
    await fill(page, 'Site', 'E2E Plant');
    await fill(page, 'Line / area', 'Line 7');
    await expectVisible(page.getByText('The profile is valid.'), 'still valid after edits', 20_000);
    await shotOne(page, shot, 'wizard-1-profile', true);
    await page.getByRole('button', { name: 'Create machine and continue' }).click();

    // Step 2: seed data, small.
    await expectVisible(page.getByRole('heading', { name: 'Step 2 of 5 · Seed data' }), 'step 2');
    if ((await machineParam(page)) !== id) throw new Error(`URL does not name the machine: ${page.url()}`);
    await fill(page, 'Rows', 1000);
    await page.getByRole('button', { name: 'Generate seed data' }).click();
    await expectVisible(page.getByRole('button', { name: 'Continue to TVAE training' }), 'seed done', 60_000);
    await expectVisible(page.getByRole('img', { name: /^Sensors .* over episode 1 of the seed data/ }), 'episode chart', 30_000);
    await expectVisible(page.getByText('1,000', { exact: true }), 'row count 1,000');
    await shotOne(page, shot, 'wizard-2-seed');
    await page.getByRole('button', { name: 'Continue to TVAE training' }).click();

    // Step 3: a short training to the end.
    await expectVisible(page.getByRole('heading', { name: 'Step 3 of 5 · TVAE training' }), 'step 3');
    await fill(page, 'Epochs', 5);
    await fill(page, 'Batch size', 200);
    await page.getByRole('button', { name: 'Start training' }).click();
    await expectVisible(page.getByRole('button', { name: 'Continue to synthetic data' }), 'training done', 90_000);
    await expectVisible(page.getByText('5 / 5', { exact: true }), 'epoch 5 / 5');
    await shotOne(page, shot, 'wizard-3-training-done');
    await page.getByRole('button', { name: 'Continue to synthetic data' }).click();

    // Step 4: small synthetic sets.
    await expectVisible(page.getByRole('heading', { name: 'Step 4 of 5 · Synthetic data' }), 'step 4');
    await fill(page, 'Train rows', 600);
    await fill(page, 'Validation rows', 200);
    await fill(page, 'Test rows', 200);
    await page.getByRole('button', { name: 'Generate datasets' }).click();
    await expectVisible(page.getByRole('button', { name: 'Continue to validation' }), 'generation done', 60_000);
    const files = page.getByRole('table', { name: 'Dataset files' });
    await expectVisible(files.getByRole('cell', { name: '600', exact: true }), 'train row count');
    await shotOne(page, shot, 'wizard-4-synthetic');
    await page.getByRole('button', { name: 'Continue to validation' }).click();

    // Step 5: the quality report.
    await expectVisible(page.getByRole('heading', { name: 'Step 5 of 5 · Validation' }), 'step 5');
    await page.getByRole('button', { name: 'Run validation' }).click();
    await expectVisible(page.getByTestId('validation-report'), 'validation report', 150_000);
    await expectVisible(page.getByRole('img', { name: /^Overall quality score: \d+(\.\d)?%, threshold 93%/ }), 'gauge');
    await expectVisible(page.getByRole('img', { name: /^Column shape scores of \d+ columns/ }), 'column shapes chart');
    await expectVisible(page.getByRole('img', { name: /^Histogram of .*: Seed \(real\) vs Synthetic train/ }), 'histogram overlay', 30_000);
    await expectVisible(page.getByRole('table', { name: 'Per-class F1' }), 'TSTR table');
    await expectVisible(page.getByText('ROC AUC (logistic)'), 'detection');
    const v = await api(srv.url, 'Onboarding', 'Validation', [id]);
    const verdict = page.getByTestId('validation-verdict');
    await expectVisible(verdict.getByText(v.passed ? /^Passed/ : 'Below the quality threshold'), 'verdict matches the backend');
    await shotOne(page, shot, 'wizard-5-validation', true);

    // The stage reached is on the machines page too; the URL resumes at the report.
    const list = await api(srv.url, 'Machines', 'List');
    if (list[0]?.stage !== 'validated') throw new Error(`machine stage is ${list[0]?.stage}, want validated`);
    await page.goto(`${srv.url}/#/machines/new?machine=${id}`);
    await expectVisible(page.getByTestId('validation-report'), 'resumes at the report');
  });
});

test('wizard: every step of an onboarded machine in the light theme (screenshots, axe)', async ({ page, shot }) => {
  await withServer(async (srv) => {
    const p = await api(srv.url, 'Templates', 'Get', ['pump']);
    const id = 'pump_review_001';
    p.machine_id = id;
    await api(srv.url, 'Machines', 'Create', [p]);
    const wait = async (job) => {
      for (let i = 0; i < 600; i++) {
        const j = await api(srv.url, 'Jobs', 'Get', [job.id]);
        if (j.status === 'succeeded') return;
        if (j.status !== 'running' && j.status !== 'queued') throw new Error(`${j.kind} ${j.status}: ${j.error}`);
        await page.waitForTimeout(250);
      }
      throw new Error(`${job.kind} did not finish`);
    };
    await wait(await api(srv.url, 'Onboarding', 'Seed', [id, { samples: 1000, seed: 5 }]));
    await wait(await api(srv.url, 'Onboarding', 'Train', [id, { epochs: 5, batch_size: 200 }]));
    await wait(await api(srv.url, 'Onboarding', 'Generate', [id, { train: 600, val: 200, test: 200 }]));
    await wait(await api(srv.url, 'Onboarding', 'Validate', [id]));

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/#/machines/new?machine=${id}`);
    await setTheme(page, 'light');
    await expectVisible(page.getByTestId('validation-report'), 'resumes at the report');
    const views = [
      ['wizard-1-profile-edit', 'Step 1 of 5 · Profile', () => page.getByText('The profile is valid.')],
      ['wizard-2-seed', 'Step 2 of 5 · Seed data', () => page.getByRole('img', { name: /^Sensors / })],
      ['wizard-3-training-done', 'Step 3 of 5 · TVAE training', () => page.getByRole('img', { name: /^Training loss over/ })],
      ['wizard-4-synthetic', 'Step 4 of 5 · Synthetic data', () => page.getByRole('table', { name: 'Dataset files' })],
      ['wizard-5-validation', 'Step 5 of 5 · Validation', () => page.getByRole('img', { name: /^Histogram of/ })],
    ];
    for (const [i, [name, heading, ready]] of views.entries()) {
      await page.goto(`${srv.url}/#/machines/new?machine=${id}&step=${i}`);
      await expectVisible(page.getByRole('heading', { name: heading }), heading);
      await expectVisible(ready(), `${name} content`, 30_000);
      await shotOne(page, shot, name, true);
    }
    // The sensor table fits a 1280 px window; at 1024 px it scrolls inside its own region, which
    // the keyboard can reach.
    await page.goto(`${srv.url}/#/machines/new?machine=${id}&step=0`);
    const sensorsRegion = page.getByRole('region', { name: 'Sensors, scrollable' });
    await expectVisible(sensorsRegion, 'sensor table region');
    const overflow = () => sensorsRegion.evaluate((el) => el.scrollWidth - el.clientWidth);
    if ((await overflow()) > 0) throw new Error(`the sensor table scrolls sideways at 1280 px (${await overflow()} px too wide)`);
    await page.setViewportSize({ width: 1024, height: 800 });
    await settle(page);
    if ((await sensorsRegion.getAttribute('tabindex')) !== '0') throw new Error('the sensor table region is not keyboard-focusable');
    await shots(page, shot, 'wizard-1-profile-1024');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The machines page with a fully onboarded machine, and the dark theme's report checked too.
    await page.goto(`${srv.url}/#/machines`);
    await expectVisible(page.getByText('Validated', { exact: true }), 'validated caption');
    if (await page.getByText(/\b(\w+) done\b/).count()) throw new Error('a stage caption still says "… done"');
    await expectVisible(page.getByText('1 machine', { exact: true }), 'one machine counted in the singular');
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await settle(page);
      const over = await page.getByRole('table', { name: 'Machines' }).evaluate((t) => t.parentElement.scrollWidth - t.parentElement.clientWidth);
      if (over > 0) throw new Error(`the machines table scrolls sideways at ${width} px (${over} px too wide)`);
      const count = await page.getByText('1 machine', { exact: true }).evaluate((el) => {
        const card = el.closest('.MuiCard-root').getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return r.right <= card.right && r.left >= card.left;
      });
      if (!count) throw new Error(`the machine count sticks out of the filter bar at ${width} px`);
      if (width < 1280) {
        await expectVisible(page.getByRole('table', { name: 'Machines' }).getByText(/^updated /), 'the update time folded under the stage');
        await shots(page, shot, `machines-page-onboarded-${width}`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await shotOne(page, shot, 'machines-page-onboarded', true);
    await setTheme(page, 'dark');
    await shotOne(page, shot, 'machines-page-onboarded', true);
    await page.goto(`${srv.url}/#/machines/new?machine=${id}&step=3`);
    await expectVisible(page.getByRole('table', { name: 'Dataset files' }), 'files table');
    await expectAccessible(page, 'step 4 (dark)', { pageOnly: true });
  });
});

test('wizard: a running training survives leaving the page, resumes its live curve, and cancels', async ({ page, shot }) => {
  await withServer(async (srv) => {
    const p = await api(srv.url, 'Templates', 'Get', ['motor']);
    const id = 'motor_resume_001';
    p.machine_id = id;
    await api(srv.url, 'Machines', 'Create', [p]);
    const seed = await api(srv.url, 'Onboarding', 'Seed', [id, { samples: 1000, seed: 3 }]);
    for (let i = 0; i < 300 && (await api(srv.url, 'Jobs', 'Get', [seed.id])).status !== 'succeeded'; i++) await page.waitForTimeout(200);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/#/machines/new?machine=${id}`);
    await setTheme(page, 'dark');
    await expectVisible(page.getByRole('heading', { name: 'Step 3 of 5 · TVAE training' }), 'resumes at step 3');
    await fill(page, 'Epochs', 20000);
    await fill(page, 'Batch size', 200);
    await page.getByRole('button', { name: 'Start training' }).click();
    const epochs = () => page.evaluate(() => Number(/^(\d+) \/ 20000$/.exec(document.querySelector('[data-testid="epoch-counter"]')?.textContent ?? '')?.[1] ?? 0));
    await page.waitForFunction(() => /^[1-9]\d* \/ 20000$/.test(document.querySelector('[data-testid="epoch-counter"]')?.textContent ?? ''), null, { timeout: 60_000 });
    await expectVisible(page.getByRole('img', { name: /^Training loss over/ }), 'live loss curve', 30_000);
    await shots(page, shot, 'wizard-3-training-live');
    const before = await epochs();

    // Away to the machines page: the training shows there as running…
    await page.goto(`${srv.url}/#/machines`);
    await expectVisible(page.getByRole('table', { name: 'Machines' }), 'machines table');
    await expectVisible(page.getByRole('img', { name: /Training TVAE…/ }), 'running badge on the machines page', 15_000);
    await expectVisible(page.getByRole('table', { name: 'Machines' }).getByText('Training TVAE…', { exact: true }), 'running caption');
    await shots(page, shot, 'machines-page-training');
    // A fresh start of the app (nothing of the job in memory)…
    await page.reload();
    await expectVisible(page.getByRole('table', { name: 'Machines' }), 'machines table after reload');
    // …and back through "continue onboarding": the same job, further on, with its earlier loss.
    await page.getByRole('link', { name: `Continue onboarding ${id}` }).click();
    await expectVisible(page.getByRole('heading', { name: 'Step 3 of 5 · TVAE training' }), 'back at step 3');
    await page.waitForFunction(
      (b) => Number(/^(\d+) \/ 20000$/.exec(document.querySelector('[data-testid="epoch-counter"]')?.textContent ?? '')?.[1] ?? 0) > b,
      before,
      { timeout: 60_000 },
    );
    const label = await page.getByRole('img', { name: /^Training loss over/ }).getAttribute('aria-label');
    const shown = Number(/over epochs 1 to (\d+)/.exec(label)?.[1] ?? 0);
    if (shown < before) throw new Error(`after coming back the curve reaches epoch ${shown}, before the ${before} seen before leaving`);
    await page.getByRole('group', { name: 'TVAE training progress' }).getByRole('button', { name: 'Cancel' }).click();
    await expectVisible(page.getByText(/TVAE training was cancelled/), 'cancelled notice', 30_000);
    const m = (await api(srv.url, 'Machines', 'List'))[0];
    if (m.stage !== 'seed') throw new Error(`after cancel the machine stage is ${m.stage}, want seed`);
    await expectVisible(page.getByRole('button', { name: 'Start training' }), 'can start again');
  });
});

test('wizard: regimes and failure modes are edited in the profile step, checked, and stored', async ({ page, shot }) => {
  await withServer(async (srv) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/#/machines/new`);
    await setTheme(page, 'light');
    await page.getByRole('radio', { name: /Electric motor/ }).click();
    await expectVisible(page.getByText('The profile is valid.'), 'valid template', 20_000);
    const id = await page.getByRole('textbox', { name: 'Machine ID' }).inputValue();
    const field = (f) => page.locator(`[data-field="${f}"]`);
    const invalid = async (f, what) => {
      await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('aria-invalid') === 'true', `[data-field="${f}"]`, { timeout: 15_000 }).catch(() => {
        throw new Error(`${f} is not marked invalid (${what})`);
      });
    };
    const valid = (f) => page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('aria-invalid') === 'false', `[data-field="${f}"]`, { timeout: 15_000 });

    // A fourth regime: a duplicate name and a share sum above 1 are refused, then fixed.
    const regimes = page.getByRole('table', { name: 'Regimes' });
    if ((await regimes.locator('tbody tr').count()) !== 3) throw new Error('the motor template should show 3 regimes');
    await page.getByRole('button', { name: 'Add regime' }).click();
    await field('regimes[3].name').fill('nominal');
    await invalid('regimes[3].name', 'duplicate name');
    await expectVisible(page.getByText(/regime probabilities sum to 1\.1/), 'the backend names the share sum');
    await field('regimes[3].name').fill('standby');
    await valid('regimes[3].name');
    await field('regimes[3].load_fraction').fill('0.15');
    await field('regimes[3].description').fill('idling between batches');
    await field('regimes[1].probability').fill('0.5');
    await expectVisible(page.getByTestId('regime-share-sum').getByText('Shares add up to 1.'), 'shares add up to 1');

    // A fourth failure mode with an effect, a Weibull life and an action; a bad onset is marked.
    await page.getByRole('button', { name: 'Add failure mode' }).click();
    await field('failure_modes[3].name').fill('seal_leak');
    await field('failure_modes[3].effects[0].sensor').selectOption('current');
    await field('failure_modes[3].effects[0].direction').selectOption('-1');
    await field('failure_modes[3].effects[0].magnitude').fill('0.8');
    await field('failure_modes[3].onset_fraction').fill('1.2');
    await expectVisible(page.getByText(/must be at least 0 and below 1/).first(), 'onset range message');
    await field('failure_modes[3].onset_fraction').fill('0.3');
    await field('failure_modes[3].time_to_failure.shape').fill('3');
    await field('failure_modes[3].time_to_failure.scale_steps').fill('40000');
    await page.getByRole('button', { name: 'Add action' }).click();
    await field('failure_modes[3].actions[0].description').fill('Replace the shaft seal');
    await field('failure_modes[3].actions[0].urgency').selectOption('soon');
    await field('failure_modes[3].actions[0].downtime_hours').fill('4');
    // One more, removed again.
    await page.getByRole('button', { name: 'Add failure mode' }).click();
    await page.getByRole('button', { name: 'Remove failure mode 5', exact: true }).click();
    await expectVisible(page.getByRole('heading', { name: 'Failure modes (4)' }), 'four failure modes');
    await expectVisible(page.getByText('The profile is valid.'), 'valid after the edits', 20_000);
    await page.getByRole('button', { name: /seal leak/ }).click();
    await expectVisible(page.getByRole('table', { name: 'Sensor effects of seal leak' }), 'the new mode open again');
    await shots(page, shot, 'wizard-1-profile-regimes-failure-modes');

    await page.getByRole('button', { name: 'Create machine and continue' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Step 2 of 5 · Seed data' }), 'step 2');
    const { profile } = await api(srv.url, 'Machines', 'Get', [id]);
    const standby = profile.regimes.find((r) => r.name === 'standby');
    if (!standby || standby.load_fraction !== 0.15 || standby.probability !== 0.1) throw new Error(`stored regimes: ${JSON.stringify(profile.regimes)}`);
    const seal = profile.failure_modes.find((m) => m.name === 'seal_leak');
    const e = seal?.effects?.[0];
    if (!seal || profile.failure_modes.length !== 4 || e?.sensor !== 'current' || e.direction !== -1 || e.magnitude !== 0.8) throw new Error(`stored failure modes: ${JSON.stringify(profile.failure_modes)}`);
    if (seal.onset_fraction !== 0.3 || seal.time_to_failure.shape !== 3 || seal.time_to_failure.scale_steps !== 40000) throw new Error(`stored seal_leak: ${JSON.stringify(seal)}`);
    if (seal.actions?.[0]?.urgency !== 'soon' || seal.actions[0].downtime_hours !== 4) throw new Error(`stored action: ${JSON.stringify(seal.actions)}`);
  });
});

test('wizard: an invalid profile upload shows its field errors and creates nothing', async ({ page, shot, allow }) => {
  await withServer(async (srv) => {
    const dir = mkdtempSync(join(tmpdir(), 'pdm-wizard-'));
    try {
      const p = await api(srv.url, 'Templates', 'Get', ['pump']);
      p.machine_id = 'Pump #1';
      p.sensors[0].normal_min = p.sensors[0].normal_max + 10;
      p.sensors[1].unit = 'parsec';
      const bad = join(dir, 'broken_pump.json');
      writeFileSync(bad, JSON.stringify(p, null, 2));
      const junk = join(dir, 'junk.yaml');
      writeFileSync(junk, 'machine_id: [unclosed\n  sensors: : :\n');

      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${srv.url}/#/machines/new`);
      await setTheme(page, 'light');
      await page.getByRole('tab', { name: 'Upload a profile file' }).click();
      await expectVisible(page.getByText('Drop a profile here'), 'drop zone');

      // A file that is not a profile at all: the problems are listed by field.
      await page.getByLabel('Profile file').setInputFiles(junk);
      await expectVisible(page.getByTestId('upload-errors'), 'errors of the unreadable file');
      await expectVisible(page.getByTestId('upload-errors').getByText(/junk\.yaml/), 'file named');

      // A decodable profile with mistakes: the form opens with the mistakes on their fields.
      await page.getByLabel('Profile file').setInputFiles(bad);
      await expectVisible(page.getByTestId('upload-errors').getByText(/broken_pump\.json/), 'upload errors');
      const idField = page.getByRole('textbox', { name: 'Machine ID' });
      await expectVisible(idField, 'form');
      if ((await idField.getAttribute('aria-invalid')) !== 'true') throw new Error('machine id is not marked invalid');
      const idHelp = await page.locator('[data-field="machine_id"]').evaluate((el) => el.closest('.MuiFormControl-root')?.querySelector('.MuiFormHelperText-root')?.textContent ?? '');
      if (!idHelp || /Lower-case letters, digits/.test(idHelp)) throw new Error(`machine id shows no backend message (helper: "${idHelp}")`);
      const s0 = p.sensors[0].name;
      const s1 = p.sensors[1].name;
      await expectVisible(page.getByText(new RegExp(`Sensor "${s1}" · unit`)), 'unit error in the sensor list');
      await expectVisible(page.getByText(new RegExp(`Sensor "${s0}" · normal`)), 'range error in the sensor list');
      if ((await page.locator('[data-field="sensors[1].unit"]').getAttribute('aria-invalid')) !== 'true') throw new Error('unit cell not marked invalid');
      await expectVisible(page.getByTestId('profile-error-count'), 'error count');
      await shots(page, shot, 'wizard-1-invalid-upload');

      // Creating anyway is refused with the same field errors, and nothing is stored.
      allow(/Machines\/Create/);
      allow(/status of 400/);
      await page.getByRole('button', { name: 'Create machine and continue' }).click();
      await expectVisible(page.getByText(/see the highlighted fields/).first(), 'refusal names the fields');
      if ((await api(srv.url, 'Machines', 'List')).length !== 0) throw new Error('an invalid profile was stored');

      // Fixing the id in the form clears its error.
      await idField.fill('pump_e2e_001');
      await page.waitForFunction(() => document.querySelector('[data-field="machine_id"]')?.getAttribute('aria-invalid') === 'false', null, { timeout: 15_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('wizard: Excel (.xlsx) profiles upload — a template from the CLI, an exported profile round trip, a broken workbook', async ({ page, shot }) => {
  await withServer(async (srv) => {
    const dir = mkdtempSync(join(tmpdir(), 'pdm-xlsx-'));
    try {
      // A workbook written by the CLI from the fan template.
      const fanXlsx = join(dir, 'fan_template.xlsx');
      execFileSync(findBinary(), ['--data-dir', join(dir, 'data'), 'templates', 'get', 'fan', '--format', 'xlsx', '--out', fanXlsx], { timeout: 60_000 });
      // A workbook exported from a stored machine with its own values (then still taken: its id
      // must be changed in the form).
      const src = await api(srv.url, 'Templates', 'Get', ['pump']);
      src.machine_id = 'pump_xlsx_src';
      src.site = 'XLSX Plant';
      src.line = 'Line 9';
      src.regimes[0].description = 'edited before export';
      await api(srv.url, 'Machines', 'Create', [src]);
      const exported = await api(srv.url, 'Machines', 'DownloadProfile', ['pump_xlsx_src', 'xlsx']);
      if (!/\.xlsx$/.test(exported.filename)) throw new Error(`export file name ${exported.filename}`);
      const pumpXlsx = join(dir, exported.filename);
      writeFileSync(pumpXlsx, Buffer.from(exported.content_base64, 'base64'));
      // A broken workbook the profile tests keep: two sensors named vibration.
      const broken = join(REPO_DIR, 'backend', 'profiles', 'testdata', 'invalid', 'duplicate_sensor_name.xlsx');

      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${srv.url}/#/machines/new`);
      await setTheme(page, 'dark');
      await page.getByRole('tab', { name: 'Upload a profile file' }).click();
      await expectVisible(page.getByText('Drop a profile here'), 'drop zone');

      // The CLI's template workbook decodes into the form, valid as it stands.
      await page.getByLabel('Profile file').setInputFiles(fanXlsx);
      await expectVisible(page.getByText(/fan_template\.xlsx.*is a valid profile/), 'valid workbook');
      const fan = await api(srv.url, 'Templates', 'Get', ['fan']);
      await expectVisible(page.getByRole('heading', { name: `Sensors (${fan.sensors.length})` }), 'sensors from the workbook');
      await expectVisible(page.getByRole('heading', { name: `Operating regimes (${fan.regimes.length})` }), 'regimes from the workbook');
      await expectVisible(page.getByRole('heading', { name: `Failure modes (${fan.failure_modes.length})` }), 'failure modes from the workbook');
      if ((await page.locator('[data-field="sensors[0].name"]').inputValue()) !== fan.sensors[0].name) throw new Error('first sensor name differs from the template');

      // The broken workbook: the duplicate sensor name is marked on its field.
      await page.getByLabel('Profile file').setInputFiles(broken);
      await expectVisible(page.getByTestId('upload-errors').getByText(/duplicate_sensor_name\.xlsx/), 'broken workbook named');
      await page.waitForFunction(() => document.querySelector('[data-field="sensors[3].name"]')?.getAttribute('aria-invalid') === 'true', null, { timeout: 15_000 });

      // The exported workbook: its values come back; the taken id is refused until changed.
      await page.getByLabel('Profile file').setInputFiles(pumpXlsx);
      const idField = page.getByRole('textbox', { name: 'Machine ID' });
      await page.waitForFunction(() => document.querySelector('[data-field="machine_id"]')?.value === 'pump_xlsx_src', null, { timeout: 15_000 });
      await page.waitForFunction(() => document.querySelector('[data-field="machine_id"]')?.getAttribute('aria-invalid') === 'true', null, { timeout: 15_000 });
      await expectVisible(page.getByText(/machine id "pump_xlsx_src" is already taken/), 'taken id message');
      if ((await page.getByRole('textbox', { name: 'Site' }).inputValue()) !== 'XLSX Plant') throw new Error('site not read from the workbook');
      if ((await page.locator('[data-field="regimes[0].description"]').inputValue()) !== 'edited before export') throw new Error('regime description not read from the workbook');
      await idField.fill('pump_xlsx_001');
      await expectVisible(page.getByText('The profile is valid.'), 'valid once the id is free', 20_000);
      await expectVisible(page.getByText(/pump_xlsx_src\.xlsx had 1 problem; the profile below has them fixed/), 'the upload notice follows the fix');
      await shots(page, shot, 'wizard-1-xlsx-upload');
      await page.getByRole('button', { name: 'Create machine and continue' }).click();
      await expectVisible(page.getByRole('heading', { name: 'Step 2 of 5 · Seed data' }), 'step 2');

      const { profile } = await api(srv.url, 'Machines', 'Get', ['pump_xlsx_001']);
      const stored = await api(srv.url, 'Machines', 'Get', ['pump_xlsx_src']);
      const strip = (p) => JSON.stringify({ ...p, machine_id: '' });
      if (strip(profile) !== strip(stored.profile)) throw new Error(`the uploaded workbook's profile differs from the exported one:\n${strip(profile)}\n${strip(stored.profile)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('machines page: search, filters, sort and a delete that says what it removes', async ({ page, shot }) => {
  await withServer(async (srv) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${srv.url}/#/machines`);
    await setTheme(page, 'dark');
    await expectVisible(page.getByText('No machines yet'), 'empty state');
    await shots(page, shot, 'machines-page-empty');

    for (const [type, idn] of [['motor', 'motor_e2e_001'], ['pump', 'pump_e2e_001'], ['fan', 'fan_e2e_001']]) {
      const p = await api(srv.url, 'Templates', 'Get', [type]);
      p.machine_id = idn;
      await api(srv.url, 'Machines', 'Create', [p]);
    }
    await api(srv.url, 'Onboarding', 'Seed', ['pump_e2e_001', { samples: 1000, seed: 1 }]);
    for (let i = 0; i < 100; i++) {
      const m = (await api(srv.url, 'Machines', 'List')).find((x) => x.machine_id === 'pump_e2e_001');
      if (m.stage === 'seed') break;
      await page.waitForTimeout(200);
    }
    await page.reload();
    const table = page.getByRole('table', { name: 'Machines' });
    await expectVisible(table, 'machines table');
    const rows = () => table.locator('tbody tr');
    if ((await rows().count()) !== 3) throw new Error(`want 3 rows, got ${await rows().count()}`);
    await shots(page, shot, 'machines-page');

    await page.getByRole('textbox', { name: 'Search' }).fill('pump');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Machines"] tbody tr').length === 1);
    await page.getByRole('textbox', { name: 'Search' }).fill('');
    await page.getByRole('combobox', { name: /^Stage reached/ }).click();
    await page.getByRole('option', { name: 'Seed' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Machines"] tbody tr').length === 1);
    await expectVisible(table.getByText('pump_e2e_001'), 'seeded pump');
    await page.getByRole('combobox', { name: /^Stage reached/ }).click();
    await page.getByRole('option', { name: 'All stages' }).click();
    await page.getByRole('button', { name: 'Type' }).click(); // sort by type, ascending
    const firstType = await rows().first().locator('td').nth(1).textContent();
    if (!/fan/i.test(firstType)) throw new Error(`sorted by type, the first row is "${firstType}"`);

    await page.getByRole('button', { name: 'Delete pump_e2e_001' }).click();
    const dialog = page.getByRole('dialog', { name: /Delete/ });
    await expectVisible(dialog.getByRole('list', { name: 'What will be removed' }), 'delete preview');
    await expectVisible(dialog.getByText(/files? \(.*: profile, datasets, models\) in the folder/), 'files line');
    await page.mouse.move(0, 0);
    await shot('machines-delete-dialog-dark');
    await expectAccessible(page, 'delete dialog (dark)', { pageOnly: true });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
    await setTheme(page, 'light');
    await page.getByRole('button', { name: 'Delete pump_e2e_001' }).click();
    await expectVisible(dialog.getByRole('list', { name: 'What will be removed' }), 'delete preview again');
    await page.mouse.move(0, 0);
    await shot('machines-delete-dialog-light');
    await dialog.getByRole('button', { name: 'Delete machine' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Machines"] tbody tr').length === 2);
    const left = (await api(srv.url, 'Machines', 'List')).map((m) => m.machine_id);
    if (left.includes('pump_e2e_001')) throw new Error('pump_e2e_001 still exists');
  });
});
