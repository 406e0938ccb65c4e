#!/usr/bin/env node
// Browser end-to-end tests: the real UI (frontend/dist embedded in the binary) against the real
// backend (`pdmstudio serve`), in headless Chromium. Every test fails on a console error, a page
// error, a failed request or an HTTP error status. Add a case with test('name', async (t) => …).
//
//   npm run e2e                      uses ../build/bin/pdmstudio
//   PDMSTUDIO_BIN=/path npm run e2e  another binary
//   E2E_ONLY=theme npm run e2e       only tests whose name contains "theme"
//   E2E_WIDTHS=1280 npm run e2e      screenshot widths (default 1280,1024,768)
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { api, FRONTEND_DIR, findBinary, launchBrowser, startServer } from './lib.mjs';

const SHOTS = join(FRONTEND_DIR, 'e2e', 'screenshots');
const WIDTHS = (process.env.E2E_WIDTHS || '1280,1024,768').split(',').map(Number).filter(Boolean);
const TEST_TIMEOUT_MS = Number(process.env.E2E_TEST_TIMEOUT_MS || 180_000);

// Every page the sidebar must offer (path → nav label). The navigation test walks the sidebar
// itself, so a new page is covered by adding it here.
const EXPECTED_NAV = [
  ['/', 'Dashboard'],
  ['/machines', 'Machines'],
  ['/machines/new', 'New Machine'],
  ['/data/explorer', 'Data Explorer'],
  ['/data/batch', 'Batch Operations'],
  ['/ml/predictions', 'Predictions'],
  ['/ml/performance', 'Model Performance'],
  ['/ml/training', 'Training'],
  ['/ml/features', 'Feature Importance'],
  ['/assistant/explain', 'Explainer'],
  ['/assistant/chat', 'Chat'],
  ['/assistant/reports', 'Reports'],
  ['/settings', 'Settings'],
  ['/system', 'System'],
];

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const tests = [];
/** Registers a test. fn receives t = { page, url, server, shot(name), issues, allow(regex) }. */
function test(name, fn) {
  tests.push({ name, fn });
}

// ------------------------------------------------------------------------------------------
// helpers

function nav(page) {
  return page.getByRole('navigation', { name: 'Main navigation' });
}

async function expectVisible(locator, what, timeout = 15_000) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`not visible: ${what}`);
  }
}

/** Waits until the page has no skeletons, fonts are in, and the layout is still. */
async function settle(page) {
  await page.evaluate(() => document.fonts.ready);
  await page
    .waitForFunction(() => !document.querySelector('main .MuiSkeleton-root'), null, { timeout: 10_000 })
    .catch(() => {});
  await page.waitForTimeout(150);
}

async function currentTheme(page) {
  return page.evaluate(() => document.documentElement.dataset.theme);
}

async function setTheme(page, mode) {
  if ((await currentTheme(page)) === mode) return;
  await page.getByRole('button', { name: mode === 'light' ? 'Switch to light theme' : 'Switch to dark theme' }).click();
  await page.waitForFunction((m) => document.documentElement.dataset.theme === m, mode);
}

function slug(path) {
  return path === '/' ? 'dashboard' : path.replace(/^\//, '').replace(/\//g, '-');
}

/** Opens the navigation (a drawer on narrow screens) and clicks an entry. */
async function clickNav(page, label) {
  const menu = page.getByRole('button', { name: 'Open navigation' });
  if (await menu.isVisible()) {
    await menu.click();
    await expectVisible(nav(page), 'navigation drawer');
  }
  await nav(page).getByRole('link', { name: label, exact: true }).click();
}

/** Walks every sidebar entry, checks the page and breadcrumbs, and screenshots it. */
async function walkAllPages(t, { theme, width }) {
  await setTheme(t.page, theme);
  for (const [path, label] of EXPECTED_NAV) {
    await clickNav(t.page, label);
    // The route, the heading, the breadcrumb and the sidebar's current entry must all agree
    // (navigation is a React transition: the old page stays until the new chunk has loaded).
    const state = await t.page
      .waitForFunction(
        ({ p, l, checkNav }) => {
          const hash = location.hash.replace(/^#/, '') || '/';
          const h1 = document.querySelector('main h1')?.textContent?.trim() ?? '';
          const crumb = document.querySelector('nav[aria-label="Breadcrumb"] [aria-current="page"]')?.textContent?.trim() ?? '';
          const links = [...document.querySelectorAll('nav[aria-label="Main navigation"] a')];
          const current = links.find((a) => a.getAttribute('aria-current') === 'page');
          const navOk = !checkNav || (current && current.textContent.trim() === l);
          return hash === p && h1 !== '' && h1 === crumb && navOk ? { h1, crumb } : false;
        },
        { p: path, l: label, checkNav: width >= 1024 },
        { timeout: 15_000 },
      )
      .catch(async () => {
        const got = await t.page.evaluate(() => ({
          hash: location.hash,
          h1: document.querySelector('main h1')?.textContent,
          crumb: document.querySelector('nav[aria-label="Breadcrumb"] [aria-current="page"]')?.textContent,
        }));
        throw new Error(`${path}: page did not settle as "${label}": ${JSON.stringify(got)}`);
      });
    if (!(await state.jsonValue())) throw new Error(`${path}: no state`);
    await settle(t.page);
    await t.shot(`${slug(path)}-${theme}-${width}`);
  }
}

// ------------------------------------------------------------------------------------------
// tests

test('app shell loads with sidebar, header and connection', async ({ page, url }) => {
  await page.goto(url);
  await expectVisible(page.locator('[data-testid="app-shell"]'), 'app shell');
  if ((await page.title()) !== 'PdM Studio') throw new Error(`title is "${await page.title()}"`);
  await expectVisible(nav(page), 'main navigation');
  const hrefs = await nav(page).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const [path] of EXPECTED_NAV) if (!hrefs.includes(`#${path}`)) throw new Error(`sidebar lacks ${path} (has ${hrefs.join(' ')})`);
  await expectVisible(page.getByRole('status', { name: 'Backend connection: Connected' }), 'connected indicator');
  const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  if (!font.includes('Inter')) throw new Error(`body font is ${font}`);
  await page.evaluate(() => document.fonts.ready);
  const interLoaded = await page.evaluate(() => [...document.fonts].some((f) => f.family.includes('Inter') && f.status === 'loaded'));
  if (!interLoaded) throw new Error('the bundled Inter font did not load');
});

for (const width of WIDTHS) {
  test(`every sidebar entry, dark theme, ${width} px`, async (t) => {
    await t.page.setViewportSize({ width, height: 800 });
    await t.page.goto(t.url);
    await walkAllPages(t, { theme: 'dark', width });
  });
}

test('theme toggle switches, persists across reload and in backend settings', async ({ page, url }) => {
  await page.goto(url);
  await expectVisible(nav(page), 'navigation');
  await setTheme(page, 'dark');
  const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await setTheme(page, 'light');
  const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  if (darkBg === lightBg) throw new Error(`background did not change (${darkBg})`);
  if (lightBg !== 'rgb(241, 245, 249)') throw new Error(`light background is ${lightBg}`);
  // Saved in the backend for the next start…
  const deadline = Date.now() + 5000;
  while ((await api(url, 'Settings', 'All'))['ui.theme'] !== 'light') {
    if (Date.now() > deadline) throw new Error('ui.theme was not saved as "light" in backend settings');
    await page.waitForTimeout(100);
  }
  // …and restored after a reload, also when localStorage is gone.
  await page.reload();
  await expectVisible(nav(page), 'navigation after reload');
  if ((await currentTheme(page)) !== 'light') throw new Error('theme not light after reload');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light', null, { timeout: 10_000 });
});

for (const width of WIDTHS) {
  test(`every sidebar entry, light theme, ${width} px`, async (t) => {
    await t.page.setViewportSize({ width, height: 800 });
    await t.page.goto(t.url);
    await walkAllPages(t, { theme: 'light', width });
  });
}

test('narrow window: the sidebar is a drawer that closes after navigating', async ({ page, url, shot }) => {
  await page.setViewportSize({ width: 768, height: 900 });
  await page.goto(url);
  await expectVisible(page.getByRole('button', { name: 'Open navigation' }), 'menu button');
  if (await nav(page).isVisible()) throw new Error('sidebar is docked at 768 px');
  await page.getByRole('button', { name: 'Open navigation' }).click();
  await expectVisible(nav(page), 'navigation drawer');
  await page.waitForTimeout(300);
  await shot('drawer-open-768');
  await nav(page).getByRole('link', { name: 'System', exact: true }).click();
  await expectVisible(page.getByRole('heading', { level: 1, name: 'System' }), 'System heading');
  await nav(page).waitFor({ state: 'hidden', timeout: 5000 });
});

test('sidebar collapses to an icon rail and expands again', async ({ page, url, shot }) => {
  await page.goto(url);
  await expectVisible(nav(page), 'navigation');
  await page.getByRole('button', { name: 'Collapse sidebar' }).first().click();
  await page.waitForTimeout(400);
  const w = await nav(page).evaluate((el) => el.getBoundingClientRect().width);
  if (w > 80) throw new Error(`collapsed sidebar is ${w}px wide`);
  await nav(page).getByRole('link', { name: 'Settings' }).click();
  await expectVisible(page.getByRole('heading', { level: 1, name: 'Settings' }), 'Settings heading');
  await shot('sidebar-collapsed');
  await page.getByRole('button', { name: 'Expand sidebar' }).first().click();
  await page.waitForTimeout(400);
  const w2 = await nav(page).evaluate((el) => el.getBoundingClientRect().width);
  if (w2 < 200) throw new Error(`expanded sidebar is ${w2}px wide`);
});

test('job center opens from the header and closes with Escape', async ({ page, url, shot }) => {
  await page.goto(url);
  await page.getByRole('banner').getByRole('button', { name: /^Job center/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Jobs' });
  await expectVisible(dialog, 'job center');
  const jobs = await api(url, 'Jobs', 'List', [{ limit: 100 }]);
  if (jobs.length === 0) await expectVisible(dialog.getByText('No jobs yet'), 'empty state');
  else await expectVisible(dialog.getByRole('listitem'), 'job cards');
  await page.waitForTimeout(300);
  await shot('job-center');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', timeout: 5000 });
});

test('user menu shows the signed-in user from Auth.Me', async ({ page, url }) => {
  const me = await api(url, 'Auth', 'Me');
  await page.goto(url);
  await page.getByRole('button', { name: `Account: ${me.username}` }).click();
  const menu = page.getByRole('menu');
  await expectVisible(menu.getByText(me.username, { exact: true }), 'username in menu');
  await menu.getByRole('menuitem', { name: 'System information' }).click();
  await expectVisible(page.getByRole('heading', { level: 1, name: 'System' }), 'System heading');
});

test('system page shows the doctor report', async ({ page, url }) => {
  const d = await api(url, 'System', 'Doctor');
  await page.goto(`${url}/#/system`);
  await expectVisible(page.getByText(d.database_path, { exact: true }), 'database path');
  await expectVisible(page.getByText(d.data_dir, { exact: true }), 'data dir');
  for (const table of d.tables) await expectVisible(page.getByLabel('Database tables').getByText(table, { exact: true }), `table ${table}`);
  for (const r of d.runtimes) {
    const name = r.name === 'onnxruntime' ? 'ONNX Runtime' : r.name;
    await expectVisible(page.getByLabel(`${name}: ${r.loaded ? 'loaded' : 'not loaded'}`), `runtime card ${name}`);
  }
});

test('keyboard: skip link first, then the sidebar', async ({ page, url }) => {
  await page.goto(url);
  await expectVisible(nav(page), 'navigation');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement?.textContent);
  if (first !== 'Skip to main content') throw new Error(`first Tab stop is "${first}"`);
  await page.keyboard.press('Enter');
  if ((await page.evaluate(() => document.activeElement?.id)) !== 'main-content') throw new Error('skip link did not focus main');
  // Focus rings are visible on keyboard focus.
  await nav(page).getByRole('link', { name: 'Machines' }).focus();
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  if (outline === 'none') throw new Error('focused nav entry has no visible outline');
  await page.keyboard.press('Enter');
  await expectVisible(page.getByRole('heading', { level: 1, name: 'New Machine' }), 'New Machine heading via keyboard');
});

for (const theme of ['dark', 'light']) {
  test(`accessibility (axe, WCAG 2 AA), ${theme} theme, every page`, async ({ page, url }) => {
    await page.goto(url);
    await expectVisible(nav(page), 'navigation');
    await setTheme(page, theme);
    const problems = [];
    for (const [path, label] of EXPECTED_NAV) {
      await clickNav(page, label);
      await page.waitForFunction((p) => (location.hash.replace(/^#/, '') || '/') === p && document.querySelector('main h1'), path);
      await settle(page);
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(' | ')}`);
      });
      for (const v of violations) problems.push(`${path}: ${v}`);
    }
    if (problems.length) throw new Error(problems.join('\n    '));
  });
}

test('unknown address shows the 404 page', async ({ page, url, shot }) => {
  await page.goto(`${url}/#/no/such/page`);
  await expectVisible(page.getByRole('heading', { level: 1, name: 'Page not found' }), '404 heading');
  await shot('not-found');
  await page.getByRole('link', { name: 'Go to dashboard' }).click();
  await expectVisible(page.getByRole('heading', { level: 1, name: 'Dashboard' }), 'dashboard');
});

test('backend restart: indicator goes offline and reconnects', async ({ page, url, server, allow }) => {
  // While the server is down the browser logs refused connections; those are expected here.
  allow(/ERR_CONNECTION_REFUSED|Failed to load resource|\/api\/events/);
  await page.goto(url);
  await expectVisible(page.getByRole('status', { name: 'Backend connection: Connected' }), 'connected');
  await server.stop();
  await expectVisible(page.getByRole('status', { name: 'Backend connection: Offline' }), 'offline indicator', 20_000);
  await server.restart();
  await expectVisible(page.getByRole('status', { name: 'Backend connection: Connected' }), 'reconnected', 40_000);
});

// ------------------------------------------------------------------------------------------
// runner

/**
 * A full-page screenshot that looks like a tall window, not a stitched capture: the viewport is
 * grown to the content height first, so the fixed sidebar and header span the whole image.
 */
async function screenshot(page, path) {
  const vp = page.viewportSize();
  const height = await page.evaluate(() => Math.max(document.documentElement.scrollHeight, document.body.scrollHeight));
  if (vp && height > vp.height) {
    await page.setViewportSize({ width: vp.width, height: Math.min(height, 4000) });
    await page.waitForTimeout(200);
  }
  await page.screenshot({ path, animations: 'disabled' });
  if (vp && height > vp.height) await page.setViewportSize(vp);
}

async function main() {
  const only = process.env.E2E_ONLY;
  const selected = only ? tests.filter((t) => t.name.includes(only)) : tests;
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });

  const bin = findBinary();
  const server = await startServer({ bin });
  const browser = await launchBrowser();
  console.log(`e2e: ${selected.length} tests against ${bin} at ${server.url}`);
  let passed = 0;
  let failed = 0;

  try {
    for (const { name, fn } of selected) {
      const page = await browser.context.newPage();
      const issues = [];
      const allowed = [];
      const isAllowed = (s) => allowed.some((re) => re.test(s));
      page.on('console', (m) => {
        if (m.type() === 'error' && !isAllowed(m.text())) issues.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => issues.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => {
        const what = `${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`;
        // Closing a page or reloading aborts the open event stream and any call still in flight
        // (the browser cancels them); that is not a failure. Server errors show up as HTTP statuses
        // (below) or as other network errors.
        if (/ERR_ABORTED/.test(what)) return;
        if (!isAllowed(what)) issues.push(`request failed: ${what}`);
      });
      page.on('response', (r) => {
        if (r.status() >= 400 && !isAllowed(r.url())) issues.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
      });
      const t = {
        page,
        url: server.url,
        server,
        issues,
        allow: (re) => allowed.push(re),
        shot: (n) => screenshot(page, join(SHOTS, `${n}.png`)),
      };
      const started = Date.now();
      let error = null;
      try {
        let timer;
        try {
          await Promise.race([
            fn(t),
            new Promise((_, rej) => {
              timer = setTimeout(() => rej(new Error(`timed out after ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS);
            }),
          ]);
        } finally {
          clearTimeout(timer); // a pending timer would keep node alive for minutes after the last test
        }
        await page.waitForTimeout(100);
        if (issues.length) error = new Error(issues.join('\n    '));
      } catch (e) {
        error = e;
        if (issues.length) error.message += `\n    ${issues.join('\n    ')}`;
        await page.screenshot({ path: join(SHOTS, `FAILED-${name.replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => {});
      }
      const ms = Date.now() - started;
      if (error) {
        failed += 1;
        console.log(`FAIL ${name} (${ms} ms)\n    ${error.message}`);
      } else {
        passed += 1;
        console.log(`ok   ${name} (${ms} ms)`);
      }
      await page.close().catch(() => {});
    }
  } finally {
    await browser.dispose();
    if (failed) console.log(`--- server log ---\n${server.logs().split('\n').slice(-30).join('\n')}`);
    await server.dispose();
  }
  console.log(`screenshots: ${SHOTS}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  console.log('e2e: 0 passed, 1 failed');
  process.exitCode = 1;
});
