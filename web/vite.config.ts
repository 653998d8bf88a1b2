/**
 * Build of the web apps (`npm run build:web`): one page per app under web/, built into
 * web/dist/ with shared chunks, served by the Portrait server at /<app>/ (src/http/web.ts).
 * `npx vite --config web/vite.config.ts` runs a dev server that passes API calls to a running
 * `npm start`.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('.', import.meta.url));
export const webApps = ['kiosk', 'self-service', 'console'] as const;

export default defineConfig({
  root: web,
  base: '/',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    rollupOptions: {
      input: Object.fromEntries([['index', `${web}index.html`], ...webApps.map((app) => [app, `${web}${app}/index.html`])]),
    },
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080', '/docs': 'http://127.0.0.1:8080' } },
});
