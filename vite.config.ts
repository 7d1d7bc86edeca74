import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The SPA lives in web/, static assets in public/, and the server serves dist/web.
export default defineConfig({
  root: 'web',
  publicDir: '../public',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/trpc': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
      '/metrics': 'http://127.0.0.1:8080',
    },
  },
});
