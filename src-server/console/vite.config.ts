/** Vite build of the helper console (served by the team server from out/console). */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../out/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
  },
});
