import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { ModuleName, NavItem } from './nav';

type PageModule = Record<string, ComponentType>;

// One dynamic import per module: Vite emits one chunk per module, loaded on first visit.
const loaders: Record<ModuleName, () => Promise<PageModule>> = {
  fleet: () => import('../modules/fleet') as unknown as Promise<PageModule>,
  gan: () => import('../modules/gan') as unknown as Promise<PageModule>,
  ml: () => import('../modules/ml') as unknown as Promise<PageModule>,
  llm: () => import('../modules/llm') as unknown as Promise<PageModule>,
  system: () => import('../modules/system') as unknown as Promise<PageModule>,
};

const cache = new Map<string, LazyExoticComponent<ComponentType>>();
const loading = new Map<ModuleName, Promise<PageModule>>();
const loaded = new Map<ModuleName, PageModule>();

/** A module's chunk, loaded once (a failed load is tried again next time). */
export function loadModule(module: ModuleName): Promise<PageModule> {
  let p = loading.get(module);
  if (!p) {
    p = loaders[module]().then((mod) => {
      loaded.set(module, mod);
      return mod;
    });
    p.catch(() => loading.delete(module));
    loading.set(module, p);
  }
  return p;
}

/**
 * The lazily loaded page component for a nav entry. When its chunk is already loaded (preloaded,
 * or the landing page's, see landing.ts) it renders at once instead of suspending: a Suspense
 * fallback that was shown holds the page back until 300 ms after it appeared (React's reveal
 * throttle), which was a quarter of the dashboard's first render.
 */
export function pageFor(item: NavItem): LazyExoticComponent<ComponentType> {
  const key = `${item.module}:${item.page}`;
  let comp = cache.get(key);
  if (!comp) {
    const pick = (mod: PageModule) => {
      const page = mod[item.page];
      if (!page) throw new Error(`Module "${item.module}" has no page "${item.page}"`);
      return { default: page };
    };
    comp = lazy(() => {
      const mod = loaded.get(item.module);
      // A thenable that resolves synchronously: React's lazy then takes the page without suspending.
      if (mod) return { then: (resolve: (v: { default: ComponentType }) => void) => resolve(pick(mod)) } as unknown as Promise<{ default: ComponentType }>;
      return loadModule(item.module).then(pick);
    });
    cache.set(key, comp);
  }
  return comp;
}

/** Warm a module's chunk (e.g. on hover over its nav entry). */
export function preloadModule(module: ModuleName): void {
  void loadModule(module).catch(() => undefined);
}
