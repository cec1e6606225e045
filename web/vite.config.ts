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
    // Three entry points: the subscriber site (/), the staff pages (/staff/) and the shop's public screens (/shop/:
    // kiosk and lobby board). None loads another's pages;
    // the manifest says which files each loads (test/web/bundles.test.ts checks it).
    manifest: true,
    rollupOptions: { input: { site: `${root}index.html`, staff: `${root}staff/index.html`, shop: `${root}shop/index.html` } },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
