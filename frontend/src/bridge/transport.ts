// The run-time transport switch. Under Wails the bound app.Bridge is present on window.go;
// anywhere else (pdmstudio serve, browser tests, a site server) calls go over HTTP and events
// over one shared EventSource. Only the typed wrappers in this folder import this file.

import { ApiError } from './errors';

export type TransportKind = 'wails' | 'http';
export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export interface ConnectionState {
  kind: TransportKind;
  status: ConnectionStatus;
  /** When the last successful contact happened (ms since epoch), if any. */
  since: number | null;
}

export interface CallOptions {
  /** Abort the call; the promise rejects with the abort reason. */
  signal?: AbortSignal;
  /** HTTP only: give up after this many milliseconds (default 60 s). */
  timeoutMs?: number;
}

type Listener = (data: unknown) => void;

const RECONNECT_EVENT = '__pdm_reconnected';

const DEFAULT_TIMEOUT_MS = 60_000;

function wailsBridge(): WailsBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.go?.app?.Bridge;
}

/** Which transport calls take right now. Checked on every call: Wails injects window.go early. */
export function transportKind(): TransportKind {
  return wailsBridge() ? 'wails' : 'http';
}

/** The base URL for HTTP calls; empty means same origin. Overridable for a remote site server. */
let httpBase = '';
export function setHttpBase(base: string): void {
  httpBase = base.replace(/\/+$/, '');
}

// ---------------------------------------------------------------------------------------------
// Connection state (a tiny observable, used by the header's indicator through useSyncExternalStore)

let connection: ConnectionState = { kind: 'http', status: 'connecting', since: null };
const connectionListeners = new Set<() => void>();

function setConnection(patch: Partial<ConnectionState>): void {
  const next = { ...connection, ...patch };
  if (next.kind === connection.kind && next.status === connection.status && next.since === connection.since) return;
  connection = next;
  connectionListeners.forEach((l) => l());
}

export function getConnection(): ConnectionState {
  const kind = transportKind();
  if (kind === 'wails' && (connection.kind !== 'wails' || connection.status !== 'online')) {
    // The desktop bridge is in-process: it is up as long as the window is.
    connection = { kind: 'wails', status: 'online', since: connection.since ?? Date.now() };
  } else if (kind !== connection.kind) {
    connection = { ...connection, kind };
  }
  return connection;
}

export function subscribeConnection(cb: () => void): () => void {
  connectionListeners.add(cb);
  return () => connectionListeners.delete(cb);
}

function markOnline(): void {
  setConnection({ status: 'online', since: Date.now() });
}

// ---------------------------------------------------------------------------------------------
// Calls

/**
 * Calls Service.Method with the positional argument list and resolves with the result value.
 * Rejects with ApiError (code from the backend, or network/timeout/bad_response).
 */
export async function call<T>(service: string, method: string, args: unknown[] = [], opts: CallOptions = {}): Promise<T> {
  const bridge = wailsBridge();
  if (bridge) {
    try {
      const result = await bridge.Call(service, method, args);
      return (result ?? null) as T;
    } catch (err) {
      throw ApiError.from(err);
    }
  }
  return httpCall<T>(service, method, args, opts);
}

async function httpCall<T>(service: string, method: string, args: unknown[], opts: CallOptions): Promise<T> {
  const url = `${httpBase}/api/call/${encodeURIComponent(service)}/${encodeURIComponent(method)}`;
  const ctrl = new AbortController();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctrl.abort();
  }, timeoutMs);
  const onAbort = () => ctrl.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(args),
      signal: ctrl.signal,
    });
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? err;
    if (timedOut) throw new ApiError('timeout', `${service}.${method} did not answer within ${Math.round(timeoutMs / 1000)} s`);
    setConnection({ status: 'offline' });
    throw new ApiError('network', `${service}.${method}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }

  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(
      res.ok ? 'bad_response' : res.status >= 500 ? 'internal' : 'bad_response',
      `${service}.${method}: HTTP ${res.status} ${res.statusText || ''}`.trim(),
      [],
      res.status,
    );
  }
  markOnline();
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as { result?: unknown; error?: unknown };
  if (!res.ok || envelope.error !== undefined) {
    throw ApiError.from(envelope.error !== undefined ? { error: envelope.error } : body, res.status);
  }
  if (!('result' in envelope)) {
    throw new ApiError('bad_response', `${service}.${method}: answer has no "result"`, [], res.status);
  }
  return (envelope.result ?? null) as T;
}

// ---------------------------------------------------------------------------------------------
// Events: one upstream subscription per transport, fanned out to local listeners by name.

const listeners = new Map<string, Set<Listener>>();
const wailsOff = new Map<string, () => void>();

function dispatch(name: string, data: unknown): void {
  listeners.get(name)?.forEach((cb) => {
    try {
      cb(data);
    } catch (err) {
      console.warn(`event listener for "${name}" failed`, err);
    }
  });
}

/** Subscribes to a backend event; returns the unsubscribe function. */
export function on(name: string, cb: Listener): () => void {
  let set = listeners.get(name);
  if (!set) {
    set = new Set();
    listeners.set(name, set);
  }
  set.add(cb);

  const runtime = typeof window === 'undefined' ? undefined : window.runtime;
  const viaWails = wailsBridge() !== undefined && typeof runtime?.EventsOn === 'function';
  if (viaWails && runtime && name !== RECONNECT_EVENT) {
    if (!wailsOff.has(name)) {
      const off = runtime.EventsOn(name, (...data: unknown[]) => dispatch(name, data[0]));
      wailsOff.set(name, typeof off === 'function' ? off : () => runtime.EventsOff?.(name));
    }
  } else if (name !== RECONNECT_EVENT) {
    sse.retain();
  }

  let active = true;
  return () => {
    if (!active) return;
    active = false;
    const s = listeners.get(name);
    s?.delete(cb);
    if (s && s.size === 0) {
      listeners.delete(name);
      const off = wailsOff.get(name);
      if (off) {
        wailsOff.delete(name);
        off();
      }
    }
    if (!viaWails && name !== RECONNECT_EVENT) sse.release();
  };
}

/** Called with no data whenever the event stream (re)connects, so callers can refetch what they missed. */
export function onReconnect(cb: () => void): () => void {
  return on(RECONNECT_EVENT, () => cb());
}

// One shared EventSource, opened while anyone listens, reopened with backoff when it dies.
const sse = (() => {
  let refs = 0;
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let everOpened = false;

  function open(): void {
    if (source || typeof EventSource === 'undefined') return;
    setConnection({ status: connection.status === 'online' ? 'online' : 'connecting' });
    const es = new EventSource(`${httpBase}/api/events`);
    source = es;
    es.onopen = () => {
      attempt = 0;
      markOnline();
      if (everOpened) dispatch(RECONNECT_EVENT, null);
      everOpened = true;
    };
    es.onmessage = (ev: MessageEvent<string>) => {
      let msg: { name?: unknown; data?: unknown };
      try {
        msg = JSON.parse(ev.data) as typeof msg;
      } catch {
        return;
      }
      if (typeof msg.name === 'string') dispatch(msg.name, msg.data);
    };
    es.onerror = () => {
      // The browser retries by itself while readyState is CONNECTING; once CLOSED it gives up,
      // so we take over with a backoff. Either way the link is down for now.
      setConnection({ status: 'offline' });
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        if (source === es) source = null;
        scheduleRetry();
      }
    };
  }

  function scheduleRetry(): void {
    if (retryTimer || refs === 0) return;
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
    attempt += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (refs > 0) open();
    }, delay);
  }

  return {
    retain(): void {
      refs += 1;
      if (refs === 1) open();
    },
    release(): void {
      refs = Math.max(0, refs - 1);
      if (refs === 0) {
        source?.close();
        source = null;
        if (retryTimer) clearTimeout(retryTimer);
        retryTimer = null;
      }
    },
    /** Test hook: forget everything. */
    reset(): void {
      refs = 0;
      source?.close();
      source = null;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      attempt = 0;
      everOpened = false;
    },
  };
})();

/** Test hook: drop every listener and connection so each test starts clean. */
export function resetTransportForTests(): void {
  listeners.clear();
  wailsOff.forEach((off) => off());
  wailsOff.clear();
  sse.reset();
  httpBase = '';
  connection = { kind: 'http', status: 'connecting', since: null };
}
