import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { call, getConnection, on, onReconnect, transportKind } from './transport';
import { ApiError } from './errors';
import { jobs, settings, system } from './index';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('transport switch', () => {
  it('uses the Wails Bridge when window.go.app.Bridge exists', async () => {
    const Call = vi.fn().mockResolvedValue({ version: '1.2.3', commit: 'c', go: 'go1.26' });
    window.go = { app: { Bridge: { Call } } };
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);

    expect(transportKind()).toBe('wails');
    await expect(system.version()).resolves.toEqual({ version: '1.2.3', commit: 'c', go: 'go1.26' });
    expect(Call).toHaveBeenCalledWith('System', 'Version', []);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(getConnection()).toMatchObject({ kind: 'wails', status: 'online' });
  });

  it('passes positional arguments to the Bridge', async () => {
    const Call = vi.fn().mockResolvedValue(null);
    window.go = { app: { Bridge: { Call } } };
    await settings.set('ui.theme', 'light');
    expect(Call).toHaveBeenCalledWith('Settings', 'Set', ['ui.theme', 'light']);
    await jobs.cancel('j1');
    expect(Call).toHaveBeenCalledWith('Jobs', 'Cancel', ['j1']);
  });

  it('turns a Wails rejection (error JSON as string) into ApiError', async () => {
    window.go = { app: { Bridge: { Call: vi.fn().mockRejectedValue('{"code":"not_found","message":"no such job"}') } } };
    const err = await jobs.get('missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'not_found', message: 'no such job' });
  });

  it('falls back to HTTP POST /api/call/{Service}/{Method} with the JSON argument array', async () => {
    const fetchSpy = vi.fn().mockResolvedValue(jsonResponse({ result: [] }));
    vi.stubGlobal('fetch', fetchSpy);
    expect(transportKind()).toBe('http');

    await expect(jobs.list({ limit: 5 })).resolves.toEqual([]);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/call/Jobs/List');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual([{ limit: 5 }]);
    expect(getConnection().status).toBe('online');
  });

  it('sends [] when there are no arguments and maps a null result', async () => {
    const fetchSpy = vi.fn().mockResolvedValue(jsonResponse({ result: null }));
    vi.stubGlobal('fetch', fetchSpy);
    await expect(call('Jobs', 'Cancel')).resolves.toBeNull();
    expect((fetchSpy.mock.calls[0] as [string, RequestInit])[1].body).toBe('[]');
  });

  it('rejects with the backend error and status on HTTP 4xx', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(jsonResponse({ error: { code: 'bad_input', message: 'bad key', fields: [{ field: 'key', message: 'unknown' }] } }, 400)),
    );
    const err = (await settings.set('nope', 'x').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('bad_input');
    expect(err.status).toBe(400);
    expect(err.fields).toEqual([{ field: 'key', message: 'unknown' }]);
    expect(err.retryable).toBe(false);
  });

  it('reports a network error as retryable and marks the connection offline', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const err = (await system.doctor().catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('network');
    expect(err.retryable).toBe(true);
    expect(getConnection().status).toBe('offline');
  });

  it('reports a non-JSON answer as bad_response', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('<html>404</html>', { status: 404 })));
    const err = (await system.version().catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('bad_response');
    expect(err.status).toBe(404);
  });

  it('times out a call that never answers', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn((_url: string, init: RequestInit) => new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))),
    );
    const err = (await call('System', 'Doctor', [], { timeoutMs: 20 }).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('timeout');
  });
});

// A controllable EventSource stand-in.
class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((ev: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(public url: string) {
    FakeEventSource.instances.push(this);
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  send(name: string, data: unknown) {
    this.onmessage?.({ data: JSON.stringify({ name, data }) } as MessageEvent<string>);
  }
  fail() {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.();
  }
  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
}

describe('events', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => vi.useRealTimers());

  it('under Wails subscribes through runtime.EventsOn once per name', () => {
    const off = vi.fn();
    const EventsOn = vi.fn().mockReturnValue(off);
    window.go = { app: { Bridge: { Call: vi.fn() } } };
    window.runtime = { EventsOn };
    const a = vi.fn();
    const b = vi.fn();
    const offA = on('job', a);
    const offB = on('job', b);
    expect(EventsOn).toHaveBeenCalledTimes(1);
    const cb = EventsOn.mock.calls[0]![1] as (d: unknown) => void;
    cb({ id: 'x', status: 'running' });
    expect(a).toHaveBeenCalledWith({ id: 'x', status: 'running' });
    expect(b).toHaveBeenCalledTimes(1);
    offA();
    expect(off).not.toHaveBeenCalled();
    offB();
    expect(off).toHaveBeenCalledTimes(1);
    expect(FakeEventSource.instances).toHaveLength(0);
  });

  it('over HTTP shares one EventSource and dispatches by event name', () => {
    const jobCb = vi.fn();
    const otherCb = vi.fn();
    const off1 = on('job', jobCb);
    const off2 = on('other', otherCb);
    expect(FakeEventSource.instances).toHaveLength(1);
    const es = FakeEventSource.instances[0]!;
    expect(es.url).toBe('/api/events');
    es.open();
    expect(getConnection().status).toBe('online');
    es.send('job', { id: 'j1', status: 'running' });
    expect(jobCb).toHaveBeenCalledWith({ id: 'j1', status: 'running' });
    expect(otherCb).not.toHaveBeenCalled();
    off1();
    expect(es.closed).toBe(false);
    off2();
    expect(es.closed).toBe(true);
  });

  it('reconnects with backoff after the stream closes, and tells listeners', () => {
    vi.useFakeTimers();
    const reconnected = vi.fn();
    const offJob = on('job', vi.fn());
    const offRe = onReconnect(reconnected);
    const first = FakeEventSource.instances[0]!;
    first.open();
    expect(reconnected).not.toHaveBeenCalled();
    first.fail();
    expect(getConnection().status).toBe('offline');
    expect(FakeEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.instances).toHaveLength(2);
    FakeEventSource.instances[1]!.open();
    expect(reconnected).toHaveBeenCalledTimes(1);
    expect(getConnection().status).toBe('online');
    offJob();
    offRe();
  });

  it('ignores malformed messages', () => {
    const cb = vi.fn();
    const off = on('job', cb);
    FakeEventSource.instances[0]!.onmessage?.({ data: 'not json' } as MessageEvent<string>);
    expect(cb).not.toHaveBeenCalled();
    off();
  });
});
