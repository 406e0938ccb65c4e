#!/usr/bin/env node
// UI benchmark in serve mode: first contentful paint (median of 5 cold loads, each in a fresh
// Chromium profile) and the JS bundle size, gzip. Prints one JSON document on stdout; progress
// goes to stderr. Run through `make bench` (which records it in docs/benchmarks.md).
//   PDMSTUDIO_BIN=/path npm run bench      BENCH_RUNS=9 npm run bench
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FRONTEND_DIR, findBinary, launchBrowser, startServer } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 5);
const DIST = join(FRONTEND_DIR, 'dist');

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return Math.round(s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2);
};

function bundleSizes() {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const initial = new Set();
  for (const m of html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.?\/?([^"]+\.js)"/g)) initial.add(m[1]);
  const assets = join(DIST, 'assets');
  let jsRaw = 0;
  let jsGzip = 0;
  let initRaw = 0;
  let initGzip = 0;
  let fonts = 0;
  const chunks = [];
  for (const f of readdirSync(assets)) {
    const p = join(assets, f);
    if (f.endsWith('.woff2')) fonts += statSync(p).size;
    if (!f.endsWith('.js')) continue;
    const buf = readFileSync(p);
    const gz = gzipSync(buf, { level: 9 }).length;
    jsRaw += buf.length;
    jsGzip += gz;
    const isInitial = initial.has(`assets/${f}`);
    if (isInitial) {
      initRaw += buf.length;
      initGzip += gz;
    }
    chunks.push({ file: f, bytes: buf.length, gzip_bytes: gz, initial: isInitial });
  }
  chunks.sort((a, b) => b.gzip_bytes - a.gzip_bytes);
  const entry = /<script[^>]*\ssrc="\.?\/?assets\/([^"]+\.js)"/.exec(html)?.[1];
  const entryChunk = chunks.find((c) => c.file === entry);
  return {
    js_total_bytes: jsRaw,
    js_total_gzip_bytes: jsGzip,
    js_initial_bytes: initRaw,
    js_initial_gzip_bytes: initGzip,
    entry_chunk: entry ?? null,
    entry_chunk_gzip_bytes: entryChunk?.gzip_bytes ?? null,
    fonts_bytes: fonts,
    chunks,
  };
}

async function coldLoad(url) {
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.locator('[data-testid="app-shell"]').waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByRole('heading', { level: 1 }).first().waitFor({ state: 'visible', timeout: 30_000 });
    return await page.evaluate(() => {
      const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
      const nav = performance.getEntriesByType('navigation')[0];
      const shell = performance.getEntriesByName('pdm:shell-ready')[0];
      return {
        fcp: paint['first-contentful-paint'] ?? null,
        fp: paint['first-paint'] ?? null,
        dcl: nav ? nav.domContentLoadedEventEnd : null,
        load: nav ? nav.loadEventEnd : null,
        shell: shell ? shell.startTime : null,
        page: performance.now(),
      };
    });
  } finally {
    await browser.dispose();
  }
}

async function main() {
  const bin = findBinary();
  const server = await startServer({ bin });
  const runs = [];
  try {
    await coldLoad(server.url); // warm the OS file cache and the server, not counted
    for (let i = 0; i < RUNS; i++) {
      const r = await coldLoad(server.url);
      runs.push(r);
      process.stderr.write(`bench: load ${i + 1}/${RUNS}: FCP ${Math.round(r.fcp)} ms, shell ${Math.round(r.shell)} ms\n`);
    }
  } finally {
    await server.dispose();
  }
  const fcp = median(runs.map((r) => r.fcp));
  const result = {
    benchmark: 'ui-serve',
    when: new Date().toISOString(),
    runs: RUNS,
    browser: 'chromium headless (software rendering), fresh profile per load',
    first_contentful_paint_ms_median: fcp,
    first_paint_ms_median: median(runs.map((r) => r.fp)),
    app_shell_rendered_ms_median: median(runs.map((r) => r.shell)),
    dom_content_loaded_ms_median: median(runs.map((r) => r.dcl)),
    load_event_ms_median: median(runs.map((r) => r.load)),
    fcp_target_ms: 1500,
    fcp_target_met: fcp !== null && fcp < 1500,
    samples_fcp_ms: runs.map((r) => (r.fcp === null ? null : Math.round(r.fcp))),
    samples_shell_ms: runs.map((r) => (r.shell === null ? null : Math.round(r.shell))),
    bundle: bundleSizes(),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
