import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { resetTransportForTests } from '../bridge/transport';
import { useJobsStore } from '../store/jobs';
import { useUiStore } from '../store/ui';

// Pages are lazy chunks; on a busy 2-core machine the first import of a module takes a while.
configure({ asyncUtilTimeout: 10_000 });

// jsdom lacks these browser APIs that MUI and the chart wrapper use.
if (!window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      // Tests run "wide" (≥ 1024 px) unless they override matchMedia.
      matches: /min-width:\s*(\d+)/.test(query) ? Number(/min-width:\s*(\d+)/.exec(query)![1]) <= 1280 : false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}
if (!('ResizeObserver' in window)) {
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
window.scrollTo = (() => {}) as typeof window.scrollTo;

beforeEach(() => {
  localStorage.clear();
  window.location.hash = '';
  document.documentElement.removeAttribute('data-theme');
});

afterEach(() => {
  cleanup();
  resetTransportForTests();
  delete window.go;
  delete window.runtime;
  useJobsStore.getState().reset();
  useUiStore.setState({ themeMode: 'dark', themeChosen: false, sidebarCollapsed: false, mobileNavOpen: false, jobCenterOpen: false });
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});
