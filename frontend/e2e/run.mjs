#!/usr/bin/env node
// Browser end-to-end tests: the real UI (frontend/dist embedded in the binary) against the real
// backend (`pdmstudio serve`), in headless Chromium. Every test fails on a console error, a page
// error, a failed request or an HTTP error status. Test cases live in e2e/tests/*.mjs (one file
// per area, loaded in name order) and register with test(name, fn) from harness.mjs.
//
//   npm run e2e                      uses ../build/bin/pdmstudio
//   PDMSTUDIO_BIN=/path npm run e2e  another binary
//   PDMSTUDIO_ASSETS_DIR=dist npm run e2e   the binary serving another frontend build
//   E2E_ONLY=theme npm run e2e       only tests whose name contains "theme"
//   E2E_FILES=shell,data npm run e2e only the files e2e/tests/{shell,data}.mjs
//   E2E_WIDTHS=1280 npm run e2e      screenshot widths (default 1280,1024,768)
//   E2E_SHOTS=/tmp/shots npm run e2e screenshots there instead of e2e/screenshots (wiped first)
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHOTS, TEST_TIMEOUT_MS, current, tests } from './harness.mjs';
import { findBinary, launchBrowser, startServer } from './lib.mjs';

const TESTS_DIR = join(import.meta.dirname, 'tests');
const files = (process.env.E2E_FILES || '').split(',').filter(Boolean);
for (const f of readdirSync(TESTS_DIR).filter((n) => n.endsWith('.mjs')).sort()) {
  if (files.length && !files.includes(f.replace(/\.mjs$/, ''))) continue;
  await import(pathToFileURL(join(TESTS_DIR, f)).href);
}

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
      current.page = page;
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

