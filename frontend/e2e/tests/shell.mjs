// The app shell: sidebar, header, themes, navigation, accessibility, 404, reconnect.
import { test, nav, expectVisible, settle, currentTheme, setTheme, clickNav, walkAllPages, WIDTHS, EXPECTED_NAV, axeViolations, api } from '../harness.mjs';
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
      for (const v of await axeViolations(page)) problems.push(`${path}: ${v}`);
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

