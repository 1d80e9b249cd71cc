/**
 * Vite build of the adviser web UI: React 19 with esbuild's automatic JSX runtime (no Babel
 * plugin), served by the API at /ui/ (api/plugins/ui.ts). `npm run build:ui` writes ui/dist.
 */
import { defineConfig } from 'vite';

const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root,
  base: '/ui/',
  publicDir: false,
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  logLevel: 'warn',
});
