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

/** The lazily loaded page component for a nav entry. */
export function pageFor(item: NavItem): LazyExoticComponent<ComponentType> {
  const key = `${item.module}:${item.page}`;
  let comp = cache.get(key);
  if (!comp) {
    comp = lazy(async () => {
      const mod = await loaders[item.module]();
      const page = mod[item.page];
      if (!page) throw new Error(`Module "${item.module}" has no page "${item.page}"`);
      return { default: page };
    });
    cache.set(key, comp);
  }
  return comp;
}

/** Warm a module's chunk (e.g. on hover over its nav entry). */
export function preloadModule(module: ModuleName): void {
  void loaders[module]().catch(() => undefined);
}
