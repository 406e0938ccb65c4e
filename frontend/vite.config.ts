/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { createServer, defineConfig, type Plugin, type ViteDevServer } from 'vite';
import react from '@vitejs/plugin-react';

const PREPAINT_CSS = 'virtual:pdm-prepaint-css';
const STYLES = fileURLToPath(new URL('./src/prepaint/styles.ts', import.meta.url));

/**
 * virtual:pdm-prepaint-css: the first paint's stylesheet for both themes as CSS text, built when
 * the app is built (src/prepaint/styles.ts run through Vite's SSR loader), so the page's first
 * script (src/boot.ts) carries two strings instead of MUI's createTheme and the sheet code.
 */
function prepaintCSS(): Plugin {
  let dev: ViteDevServer | undefined;
  return {
    name: 'pdmstudio-prepaint-css',
    configureServer(server) {
      dev = server;
    },
    resolveId(id) {
      return id === PREPAINT_CSS ? `\0${PREPAINT_CSS}` : undefined;
    },
    async load(id) {
      if (id !== `\0${PREPAINT_CSS}`) return undefined;
      // In the dev server its own SSR loader; in a build a short-lived one without this plugin.
      const loader = dev ?? (await createServer({ configFile: false, logLevel: 'silent', appType: 'custom', server: { middlewareMode: true, hmr: false, ws: false } }));
      try {
        this.addWatchFile(STYLES);
        const mod = (await loader.ssrLoadModule(STYLES)) as { prepaintCSS: (mode: 'dark' | 'light') => string };
        return `export default ${JSON.stringify({ dark: mod.prepaintCSS('dark'), light: mod.prepaintCSS('light') })};`;
      } finally {
        if (!dev) await loader.close();
      }
    },
  };
}

// The same build serves the Wails desktop window (assets embedded in the Go binary) and
// `pdmstudio serve`. Routing is hash-based, so a relative base works in both.
export default defineConfig({
  base: './',
  plugins: [react(), prepaintCSS()],
  build: {
    outDir: 'dist',
    emptyOutDir: true, // package.json's build script recreates dist/.gitkeep afterwards
    target: 'es2022',
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // MUI is left to Rollup's own splitting: the entry carries only the components the shell
        // uses, and a page's other components load with that page (one 'mui' chunk made the
        // dashboard's first load parse 440 kB of components it never renders).
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(echarts|zrender)\//.test(id)) return 'echarts';
          // React's core on its own: the page's first script (src/boot.ts) imports the chunk loader
          // (app/routes.tsx, which uses React.lazy) and so React's core, but react-dom, the router
          // and Emotion are evaluated only with the app, after the first paint.
          if (/node_modules\/(react|react-is)\//.test(id)) return 'react-core';
          if (/node_modules\/(react-dom|scheduler|react-router|@emotion|stylis)\//.test(id)) return 'react';
          return undefined;
        },
      },
    },
  },
  // `npm run dev` talks to a running `pdmstudio serve` (make serve → 127.0.0.1:8765) through this proxy.
  server: {
    port: 5173,
    strictPort: false,
    proxy: { '/api': { target: process.env.PDMSTUDIO_API ?? 'http://127.0.0.1:8765', changeOrigin: true } },
  },
  test: {
    globals: true,
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    css: false,
    include: ['src/**/*.test.{ts,tsx}'],
    testTimeout: 15000,
  },
});
