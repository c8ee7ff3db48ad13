import { defineConfig } from 'vitest/config';

// The console is built into ../dist, which package console embeds. During
// `npm run dev`, API calls (POST /) go to a running `stepwise server`.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '^/$': {
        target: process.env.STEPWISE_URL ?? 'http://127.0.0.1:8083',
        bypass: (req) => (req.method === 'POST' ? undefined : '/index.html'),
      },
    },
  },
  test: { include: ['src/**/*.test.ts'] },
});
