// The e2e harness: the test registry and the helpers every test file shares. A test file in
// e2e/tests/ imports what it needs from here and registers cases with test(name, fn); run.mjs
// loads every file of e2e/tests in name order and runs the cases one by one.
//
// fn receives t = { page, url, server, shot(name), issues, allow(regex) }: page is a fresh tab on
// the shared server (an empty data dir, no demo fleet); a test that needs its own data starts its
// own server with startServer() from lib.mjs and disposes of it.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FRONTEND_DIR, startServer as startLibServer } from './lib.mjs';

export { api } from './lib.mjs';

/** The tab of the test that is running (set by run.mjs). */
export const current = { page: null };

/**
 * Starts a server of the test's own (see lib.mjs startServer). Its dispose() first takes the
 * test's tab off the page, so the app's event stream does not retry against a stopped server
 * (the refused reconnects would fail the test).
 */
export async function startServer(opts) {
  const server = await startLibServer(opts);
  const dispose = server.dispose;
  server.dispose = async () => {
    await current.page?.goto('about:blank').catch(() => {});
    await dispose();
  };
  return server;
}

export const SHOTS = process.env.E2E_SHOTS || join(FRONTEND_DIR, 'e2e', 'screenshots');
export const WIDTHS = (process.env.E2E_WIDTHS || '1280,1024,768').split(',').map(Number).filter(Boolean);
export const TEST_TIMEOUT_MS = Number(process.env.E2E_TEST_TIMEOUT_MS || 180_000);

// Every page the sidebar must offer (path → nav label). The navigation test walks the sidebar
// itself, so a new page is covered by adding it here.
export const EXPECTED_NAV = [
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

export const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * WCAG 2 AA violations (axe) of the page as it is now, one line each. pageOnly checks the page's
 * own content and its dialogs, not the shell (shell.mjs checks that).
 */
export async function axeViolations(page, { pageOnly = false } = {}) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (pageOnly) => {
    const context = pageOnly ? { include: [...document.querySelectorAll('main, [role="dialog"]')] } : document;
    const r = await window.axe.run(context, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(' | ')}`);
  }, pageOnly);
}

/** Fails on WCAG 2 AA violations (axe) of the page as it is now. */
export async function expectAccessible(page, what, opts) {
  const v = await axeViolations(page, opts);
  if (v.length) throw new Error(`${what}: axe violations:\n    ${v.join('\n    ')}`);
}

export const tests = [];
/** Registers a test. fn receives t = { page, url, server, shot(name), issues, allow(regex) }. */
export function test(name, fn) {
  tests.push({ name, fn });
}

// ------------------------------------------------------------------------------------------
// helpers

export function nav(page) {
  return page.getByRole('navigation', { name: 'Main navigation' });
}

export async function expectVisible(locator, what, timeout = 15_000) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`not visible: ${what}`);
  }
}

/** Waits until the page has no skeletons, fonts are in, and the layout is still. */
export async function settle(page) {
  await page.evaluate(() => document.fonts.ready);
  await page
    .waitForFunction(() => !document.querySelector('main .MuiSkeleton-root'), null, { timeout: 10_000 })
    .catch(() => {});
  await page.waitForTimeout(150);
}

export async function currentTheme(page) {
  return page.evaluate(() => document.documentElement.dataset.theme);
}

export async function setTheme(page, mode) {
  if ((await currentTheme(page)) === mode) return;
  await page.getByRole('button', { name: mode === 'light' ? 'Switch to light theme' : 'Switch to dark theme' }).click();
  await page.waitForFunction((m) => document.documentElement.dataset.theme === m, mode);
}

export function slug(path) {
  return path === '/' ? 'dashboard' : path.replace(/^\//, '').replace(/\//g, '-');
}

/** Opens the navigation (a drawer on narrow screens) and clicks an entry. */
export async function clickNav(page, label) {
  // The app's header is up (the page may still show the boot screen or the dashboard's first paint).
  await expectVisible(page.locator('.pdm-header button').first(), 'the app header');
  const menu = page.getByRole('button', { name: 'Open navigation' });
  if (await menu.isVisible()) {
    await menu.click();
    await expectVisible(nav(page), 'navigation drawer');
  }
  await nav(page).getByRole('link', { name: label, exact: true }).click();
}

/** Walks every sidebar entry, checks the page and breadcrumbs, and screenshots it. */
export async function walkAllPages(t, { theme, width }) {
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

