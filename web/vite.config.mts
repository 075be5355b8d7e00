// The workbench build. `npm run build:web` writes web/dist, which the gateway serves at `/`;
// `npm run dev:web` serves it with hot reload and proxies the API to a running gateway.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const gateway = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? '8080'}`;

export default defineConfig({
  root,
  base: '/',
  // No public/ folder: the gateway serves `/` and `/assets/*` only.
  publicDir: false,
  plugins: [react()],
  resolve: {
    // The SDK's lazily loaded validators, as an ES module (the CommonJS twin is for Node).
    alias: [{ find: /^\.\.\/validators\/schemas$/, replacement: fileURLToPath(new URL('../generated/validators/schemas.mjs', import.meta.url)) }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    // The stream validators are a lazily loaded chunk of their own; the budget is first-load JS.
    chunkSizeWarningLimit: 800,
  },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    // SSE passes through http-proxy unbuffered; same origin for the browser, as behind the gateway.
    proxy: { '/api': { target: gateway, changeOrigin: false } },
  },
});
