/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The same build serves the Wails desktop window (assets embedded in the Go binary) and
// `pdmstudio serve`. Routing is hash-based, so a relative base works in both.
export default defineConfig({
  base: './',
  plugins: [react()],
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
          if (/node_modules\/(react|react-dom|scheduler|react-router|@emotion|stylis)\//.test(id)) return 'react';
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
