#!/usr/bin/env node
// Dashboard benchmark (issue 10), against `pdmstudio serve` in headless Chromium:
//  1. first render with the 26-machine fleet, from app start: the server process is started,
//     the page opened, and the clock stops when all 26 machine cards are on screen (median of
//     BENCH_RUNS cold starts, fresh browser profile each): painted (the page's mark after the
//     frame with them), interactive (the app has rendered them), and when the test saw them;
//  2. 1,000 machines: the same page with Fleet.Overview / Fleet.Refresh answered with a
//     synthetic 1,000-machine fleet (the backend side of a 1,000-machine refresh is measured
//     by `go test ./backend/telemetry -bench FleetRefresh`): time to the first render, and time
//     from "Refresh predictions now" to the grid showing the new statuses; and how many cards
//     the windowed grid keeps mounted.
// Prints one JSON document on stdout; progress on stderr.
//   BENCH_DATA_DIR=/path/to/bootstrapped/dir PDMSTUDIO_BIN=... PDMSTUDIO_ASSETS_DIR=... node e2e/bench-dashboard.mjs
// Without BENCH_DATA_DIR the 26 machines are bootstrapped first with the CLI's tiny settings
// (several minutes on a 2-core machine).
// Side by side: BENCH_BASELINE_ASSETS_DIR (a UI build) and/or BENCH_BASELINE_BIN (a binary) run a
// baseline alternately with the current build in the same session, each run a cold start.
// BENCH_SKIP_1000=1 leaves out the 1,000-machine part; BENCH_SKIP_26=1 the 26-machine part.
// Besides wall times each 26-machine run reports the CPU time the browser's processes and the
// server process spent from process start to the 26 cards (from /proc, Linux only): on a machine
// shared with other work the wall times swing with the load, the CPU times much less.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, launchBrowser, startServer } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 5);
const log = (s) => process.stderr.write(`bench-dashboard: ${s}\n`);
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return Math.round(s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2);
};

function prepareFleet(bin) {
  const dir = mkdtempSync(join(tmpdir(), 'pdmstudio-bench-fleet-'));
  if (process.env.BENCH_DATA_DIR) {
    cpSync(process.env.BENCH_DATA_DIR, dir, { recursive: true });
  } else {
    log('bootstrapping the 26-machine fleet with tiny settings (minutes)…');
    execFileSync(bin, ['--data-dir', dir, 'fleet', 'bootstrap', '--tiny', '--json'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 3_600_000 });
  }
  return dir;
}

/** CPU time (user + system, ms) of the processes whose command line contains match; null off Linux. */
function cpuMs(match) {
  if (!existsSync('/proc/self/stat')) return null;
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(match)) continue;
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime in clock ticks (USER_HZ = 100)
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * 10;
}

async function firstRender26(bin, dir, env = {}) {
  // The browser stands for the desktop's web view, which starts alongside the process: it is
  // up before the clock starts.
  const profiles = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('pdmstudio-chromium-')));
  const browser = await launchBrowser({ viewport: { width: 1440, height: 900 } });
  const mine = readdirSync(tmpdir()).filter((n) => n.startsWith('pdmstudio-chromium-') && !profiles.has(n));
  const browserMatch = mine.length === 1 ? mine[0] : null; // its processes name their profile dir
  const page = await browser.context.newPage();
  const browserCpu0 = browserMatch ? cpuMs(browserMatch) : null;
  const t0 = performance.now();
  const server = await startServer({ bin, dataDir: dir, env });
  const serverReady = performance.now() - t0;
  try {
    const t1 = performance.now();
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="machine-card"][data-status]:not([data-status="unknown"])').length >= 26, null, { timeout: 60_000 });
    const pageMs = performance.now() - t1;
    const total = performance.now() - t0;
    const browserCpu = browserCpu0 === null ? null : cpuMs(browserMatch) - browserCpu0;
    const serverCpu = server.port ? cpuMs(`127.0.0.1:${server.port}`) : null;
    // The page's own clock: dashboard-ready is marked once the frame with the fleet was painted
    // (by the first paint, src/boot.ts, or else by the app), dashboard-interactive when the app has
    // rendered it (search, filters, buttons work). The test's own poll above runs on the page's
    // main thread, so it sees the cards only once the app's evaluation that follows the first
    // paint lets it run; the marks say when they were on screen.
    // The app has rendered (both UIs mark pdm:shell-ready; this one also pdm:dashboard-interactive).
    await page.waitForFunction(() => performance.getEntriesByName('pdm:shell-ready').length > 0 && !document.querySelector('[data-prepaint]'), null, { timeout: 60_000 });
    const marks = await page.evaluate(() => ({
      origin: performance.timeOrigin,
      ready: performance.getEntriesByName('pdm:dashboard-ready')[0]?.startTime ?? null,
      // A UI without a first paint is interactive at its first render of the fleet.
      interactive: (performance.getEntriesByName('pdm:dashboard-interactive')[0] ?? performance.getEntriesByName('pdm:dashboard-ready')[0])?.startTime ?? null,
    }));
    const fromStart = (ms) => (ms === null ? null : marks.origin + ms - (performance.timeOrigin + t0));
    return {
      total_ms: total,
      painted_ms: fromStart(marks.ready),
      interactive_ms: fromStart(marks.interactive),
      server_ready_ms: serverReady,
      page_ms: pageMs,
      dashboard_mark_ms: marks.ready,
      browser_cpu_ms: browserCpu,
      server_cpu_ms: serverCpu,
    };
  } finally {
    await browser.dispose();
    await server.dispose();
  }
}

const STATUSES = ['healthy', 'degrading', 'warning', 'critical'];
function syntheticOverview(n, shift) {
  const machines = [];
  const counts = { healthy: 0, degrading: 0, warning: 0, critical: 0, unknown: 0 };
  const now = new Date().toISOString();
  for (let i = 0; i < n; i++) {
    const state = (i * 7 + shift) % 4 === 0 ? (i + shift) % 4 : i % 11 === 0 ? 2 : 0;
    const status = STATUSES[state];
    counts[status]++;
    const id = `motor_bench_${String(i).padStart(4, '0')}`;
    machines.push({
      id, name: `Bench motor ${i}`, type: 'motor', manufacturer: 'Siemens', model: '1LA7 163-4AA60', site: ['Hamburg Plant', 'Lyon Works', 'Ostrava Plant'][i % 3], line: 'Line 1',
      stage: 'models', ready: true, status, health_state: state, confidence: 0.5 + ((i * 37 + shift) % 50) / 100,
      rul: 1 + ((i * 13 + shift) % 80) / 10, rul_low: 0.5, rul_high: 12, anomaly_score: 0.2, anomaly_threshold: 0.9,
      key_sensors: [
        { name: 'bearing_temp_de', unit: '°C', value: 40 + ((i + shift) % 50), warning: 85, trip: 95 },
        { name: 'vibration_de', unit: 'mm/s', value: 1 + ((i + shift) % 30) / 10, warning: 3.5, trip: 7.1 },
        { name: 'current', unit: 'A', value: 15 + ((i * 3 + shift) % 10), warning: 31.9, trip: 34.8 },
      ],
      updated_at: now, source: 'test', open_alerts: 0,
    });
  }
  return { machines, counts, previous_counts: counts, refreshed_at: now, interval_s: 30, paused: false, rul_unit: 'hours', refreshes: shift + 1, refresh_ms: 0, running: true };
}

async function fleet1000(server) {
  const browser = await launchBrowser({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await browser.context.newPage();
    let shift = 0;
    const reply = (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ result: syntheticOverview(1000, shift) }) });
    await page.route('**/api/call/Fleet/Overview', reply);
    await page.route('**/api/call/Fleet/Refresh', reply);
    await page.route('**/api/call/Fleet/Alerts', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"result":[]}' }));
    const t0 = performance.now();
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="machine-grid"][data-windowed="true"] [data-testid="machine-card"]', { timeout: 60_000 });
    const first = performance.now() - t0;
    const mounted = await page.locator('[data-testid="machine-card"]').count();
    const refreshes = [];
    for (let i = 0; i < RUNS; i++) {
      shift = i + 1;
      const next = syntheticOverview(1000, shift);
      const expected = next.counts.critical;
      const worst = ['critical', 'warning', 'degrading', 'healthy'].find((st) => next.counts[st] > 0);
      const t1 = performance.now();
      await page.getByRole('button', { name: 'Refresh predictions now' }).click();
      await page
        .waitForFunction((n) => document.querySelector('[data-testid="fleet-count-critical"]')?.dataset.value === String(n) && !document.querySelector('[aria-label="Refreshing"]'), expected, { timeout: 30_000 })
        .catch(async (e) => {
          const got = await page.getByTestId('fleet-count-critical').getAttribute('data-value');
          throw new Error(`refresh ${i + 1}: critical count ${got}, want ${expected}: ${e.message}`);
        });
      // …and the grid re-sorted to the new statuses (worst first).
      await page.waitForFunction((w) => document.querySelector('[data-testid="machine-card"]')?.dataset.status === w, worst, { timeout: 30_000 }).catch(async (e) => {
        const got = await page.locator('[data-testid="machine-card"]').evaluateAll((cs) => cs.slice(0, 6).map((c) => `${c.dataset.machine}:${c.dataset.status}`));
        throw new Error(`refresh ${i + 1}: first cards ${got.join(' ')}: ${e.message}`);
      });
      refreshes.push(performance.now() - t1);
      await page.waitForTimeout(300);
    }
    // Scrolling the grid mounts other rows, not more of them.
    await page.locator('[data-testid="machine-grid"]').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await page.waitForTimeout(300);
    const mountedAfterScroll = await page.locator('[data-testid="machine-card"]').count();
    return { first_render_ms: first, refresh_ms_samples: refreshes.map(Math.round), refresh_ms_median: median(refreshes), cards_mounted: mounted, cards_mounted_after_scroll: mountedAfterScroll };
  } finally {
    await browser.dispose();
  }
}

function summary26(runs) {
  const painted = median(runs.map((r) => r.painted_ms));
  return {
    // The target's measure: process start → the frame with the 26 cards painted (page mark).
    painted_from_process_start_ms_median: painted,
    interactive_from_process_start_ms_median: median(runs.map((r) => r.interactive_ms)),
    // Process start → the test's own poll saw the 26 cards (later while the page's main thread is busy).
    test_saw_cards_from_process_start_ms_median: median(runs.map((r) => r.total_ms)),
    server_ready_ms_median: median(runs.map((r) => r.server_ready_ms)),
    page_to_26_cards_ms_median: median(runs.map((r) => r.page_ms)),
    dashboard_mark_ms_median: median(runs.map((r) => r.dashboard_mark_ms)),
    browser_cpu_ms_median: median(runs.map((r) => r.browser_cpu_ms)),
    server_cpu_ms_median: median(runs.map((r) => r.server_cpu_ms)),
    samples_painted_ms: runs.map((r) => (r.painted_ms === null ? null : Math.round(r.painted_ms))),
    samples_test_saw_cards_ms: runs.map((r) => Math.round(r.total_ms)),
    target_ms: 1500,
    target_met: painted !== null && painted < 1500,
  };
}

async function main() {
  const bin = findBinary();
  const baseBin = process.env.BENCH_BASELINE_BIN;
  const baseAssets = process.env.BENCH_BASELINE_ASSETS_DIR;
  const withBaseline = Boolean(baseBin || baseAssets);
  const baseEnv = baseAssets ? { PDMSTUDIO_ASSETS_DIR: baseAssets } : {};
  const runs = [];
  const baseRuns = [];
  const dir = process.env.BENCH_SKIP_26 ? null : prepareFleet(bin);
  if (dir) try {
    await firstRender26(bin, dir); // warm the OS file cache, not counted
    if (withBaseline) await firstRender26(baseBin || bin, dir, baseEnv);
    const show = (what, r, i) =>
      log(
        `26 machines, ${what} run ${i + 1}/${RUNS}: painted ${Math.round(r.painted_ms)} ms, interactive ${Math.round(r.interactive_ms)} ms, test saw cards ${Math.round(r.total_ms)} ms from process start (server ready ${Math.round(r.server_ready_ms)} ms, page ${Math.round(r.page_ms)} ms; CPU browser ${r.browser_cpu_ms} ms, server ${r.server_cpu_ms} ms)`,
      );
    for (let i = 0; i < RUNS; i++) {
      if (withBaseline) {
        const b = await firstRender26(baseBin || bin, dir, baseEnv);
        baseRuns.push(b);
        show('baseline', b, i);
      }
      const r = await firstRender26(bin, dir);
      runs.push(r);
      show(withBaseline ? 'current' : '', r, i);
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  let big = null;
  if (!process.env.BENCH_SKIP_1000) {
    const server = await startServer({ bin });
    try {
      big = await fleet1000(server);
      log(`1000 machines: first render ${Math.round(big.first_render_ms)} ms, refresh median ${big.refresh_ms_median} ms, ${big.cards_mounted} cards mounted`);
    } finally {
      await server.dispose();
    }
  }
  const result = {
    benchmark: 'ui-dashboard',
    when: new Date().toISOString(),
    runs: RUNS,
    browser: 'chromium headless (software rendering), fresh profile per run, 1440×900',
    fleet26: dir ? summary26(runs) : null,
    fleet26_baseline: withBaseline && dir ? { bin: baseBin || bin, assets: baseAssets || 'embedded', ...summary26(baseRuns) } : undefined,
    fleet1000_render: big ? { ...big, first_render_ms: Math.round(big.first_render_ms) } : null,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
