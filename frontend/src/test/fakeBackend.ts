// A fake desktop backend for component tests: installs window.go.app.Bridge and window.runtime
// the way Wails does, so tests exercise the real transport switch and wrappers.
import { vi } from 'vitest';
import type { DoctorReport, Job } from '../bridge/types';

type Handler = (...args: unknown[]) => unknown;

export const sampleDoctor: DoctorReport = {
  version: '0.1.0',
  commit: 'abcdef123456',
  go: 'go1.26.8',
  os: 'linux',
  arch: 'amd64',
  data_dir: '/home/eng/.local/share/PdMStudio',
  database_path: '/home/eng/.local/share/PdMStudio/pdmstudio.db',
  schema_version: 3,
  tables: ['jobs', 'settings', 'users'],
  runtimes: [
    { name: 'onnxruntime', loaded: true, path: '/opt/pdm/libonnxruntime.so.1', version: '1.24.1', providers: ['CPU', 'DirectML'], active_provider: 'CPU' },
    {
      name: 'llama.cpp',
      loaded: false,
      path: '',
      version: '',
      error: 'libllama.so: cannot open shared object file',
      searched: ['/opt/pdm/models/llama', '/usr/lib'],
    },
  ],
  log_file: '/home/eng/.local/share/PdMStudio/logs/pdmstudio.log',
};

export function makeJob(over: Partial<Job> = {}): Job {
  return {
    id: over.id ?? `job-${Math.random().toString(36).slice(2, 10)}`,
    kind: 'seed',
    machine_id: 'motor_siemens_1la7_001',
    status: 'running',
    stage: 'simulating',
    progress: 0.42,
    eta_seconds: 12.5,
    metrics: { epoch: 3, loss: 1.23 },
    params: {},
    result: null,
    error: '',
    created_at: '2026-11-27T08:00:00Z',
    started_at: '2026-11-27T08:00:01Z',
    finished_at: null,
    ...over,
  };
}

export interface FakeBackend {
  call: ReturnType<typeof vi.fn>;
  settings: Record<string, string>;
  jobs: Job[];
  /** Emit a backend event to subscribers, as Wails' runtime would. */
  emit: (name: string, data: unknown) => void;
  handlers: Record<string, Handler>;
}

export function installFakeBackend(overrides: Record<string, Handler> = {}): FakeBackend {
  const listeners = new Map<string, Set<(...d: unknown[]) => void>>();
  const fake: FakeBackend = {
    settings: {},
    jobs: [],
    handlers: {},
    call: vi.fn(),
    emit: (name, data) => listeners.get(name)?.forEach((cb) => cb(data)),
  };
  fake.handlers = {
    'System.Version': () => ({ version: '0.1.0', commit: 'abcdef123456', go: 'go1.26.8' }),
    'System.Doctor': () => sampleDoctor,
    'Auth.Me': () => ({ username: 'jane.doe', role: 'operator' }),
    'Settings.All': () => ({ ...fake.settings }),
    'Settings.Set': (k, v) => {
      fake.settings[String(k)] = String(v);
      return null;
    },
    'Jobs.List': () => fake.jobs,
    'Jobs.Cancel': () => null,
    ...overrides,
  };
  fake.call.mockImplementation(async (service: string, method: string, args: unknown[]) => {
    const h = fake.handlers[`${service}.${method}`];
    if (!h) throw JSON.stringify({ code: 'not_found', message: `no method ${service}.${method}` });
    return h(...args);
  });
  window.go = { app: { Bridge: { Call: fake.call as unknown as WailsBridge['Call'] } } };
  window.runtime = {
    EventsOn: (name, cb) => {
      let s = listeners.get(name);
      if (!s) listeners.set(name, (s = new Set()));
      s.add(cb);
      return () => s.delete(cb);
    },
  };
  return fake;
}
