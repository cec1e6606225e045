import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    // Two entry points: the subscriber site (/) and the staff pages (/staff/). Neither loads the other's pages;
    // the manifest says which files each loads (test/web/bundles.test.ts checks it).
    manifest: true,
    rollupOptions: { input: { site: `${root}index.html`, staff: `${root}staff/index.html` } },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
