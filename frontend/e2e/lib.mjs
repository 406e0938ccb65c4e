// Shared helpers for the browser e2e run and the paint benchmark: find the pdmstudio binary,
// start `pdmstudio serve` on a free loopback port with a temporary data dir, launch Chromium.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const FRONTEND_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(FRONTEND_DIR, '..');

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The pdmstudio binary: $PDMSTUDIO_BIN, else ../build/bin/pdmstudio. */
export function findBinary() {
  const bin = process.env.PDMSTUDIO_BIN ? resolve(process.env.PDMSTUDIO_BIN) : join(REPO_DIR, 'build', 'bin', 'pdmstudio');
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new Error(`pdmstudio binary not found or not executable: ${bin}\n  build it first (make build), or set PDMSTUDIO_BIN`);
  }
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_BIN)`);
  }
  return bin;
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `pdmstudio serve` and resolves once the UI and the API answer.
 * Returns { url, port, dataDir, logs(), stop(), restart() }.
 */
export async function startServer({ bin = findBinary(), port, dataDir, env = {} } = {}) {
  port ??= await freePort();
  const ownDir = !dataDir;
  dataDir ??= mkdtempSync(join(tmpdir(), 'pdmstudio-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  let proc;
  let exited = null;

  async function launch() {
    exited = null;
    proc = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    proc.on('exit', (code, signal) => (exited = { code, signal }));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (exited) throw new Error(`pdmstudio serve exited early (${JSON.stringify(exited)}):\n${out}`);
      try {
        const r = await fetch(`${url}/api/call/System/Version`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' });
        if (r.ok) {
          const ui = await fetch(`${url}/`);
          if (ui.ok) return;
        }
      } catch {
        // not up yet
      }
      await sleep(25);
    }
    throw new Error(`pdmstudio serve did not answer on ${url} within 30 s:\n${out}`);
  }

  async function stop() {
    if (!proc || exited) return;
    const done = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(t);
  }

  await launch();
  return {
    url,
    port,
    dataDir,
    logs: () => out,
    stop,
    restart: launch,
    async dispose() {
      await stop();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A headless Chromium with a fresh profile directory. Returns { context, dispose() }. */
export async function launchBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pdmstudio-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    deviceScaleFactor: 1,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  return {
    context,
    async dispose() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Calls the backend API directly (outside the page), for assertions. */
export async function api(url, service, method, args = []) {
  const r = await fetch(`${url}/api/call/${service}/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
  const body = await r.json();
  if (body.error) throw new Error(`${service}.${method}: ${body.error.code}: ${body.error.message}`);
  return body.result;
}
