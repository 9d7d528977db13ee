import { describe, expect, it } from 'vitest';
import { devRendererOrigin } from './dev-server';

const DEV = { ELECTRON_RENDERER_URL: 'http://localhost:5173', NODE_ENV_ELECTRON_VITE: 'development' };

describe('devRendererOrigin', () => {
  it('uses the dev server only for an unpackaged app started by electron-vite dev', () => {
    expect(devRendererOrigin({ isPackaged: false, env: DEV })).toBe('http://localhost:5173');
    expect(
      devRendererOrigin({ isPackaged: false, env: { ...DEV, ELECTRON_RENDERER_URL: 'http://127.0.0.1:5174/' } }),
    ).toBe('http://127.0.0.1:5174');
  });
  it('ignores ELECTRON_RENDERER_URL in a packaged app, even with the dev flag set', () => {
    expect(devRendererOrigin({ isPackaged: true, env: DEV })).toBeNull();
  });
  it('ignores it in a production build (electron-vite preview / npm start) and without the dev flag', () => {
    const url = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(devRendererOrigin({ isPackaged: false, env: { ...url, NODE_ENV_ELECTRON_VITE: 'production' } })).toBeNull();
    expect(devRendererOrigin({ isPackaged: false, env: url })).toBeNull();
  });
  it('ignores a dev server that is not on this machine or not http(s)', () => {
    for (const bad of ['https://evil.example.com', 'file:///tmp/page', 'http://10.0.0.2:5173', 'not a url']) {
      expect(devRendererOrigin({ isPackaged: false, env: { ...DEV, ELECTRON_RENDERER_URL: bad } })).toBeNull();
    }
  });
});
