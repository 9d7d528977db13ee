import { describe, expect, it } from 'vitest';
import { captureEnvironmentProblem, partialSessionNote } from './environment';
import { coveredRegions, pickCaptureTarget } from './select';
import type { WindowSummary } from './types';

function win(id: number, pid: number, z: number, extra: Partial<WindowSummary> = {}): WindowSummary {
  return {
    id,
    pid,
    app: `app${id}`,
    title: `Window ${id}`,
    x: 0,
    y: 0,
    width: 800,
    height: 600,
    z,
    focused: false,
    minimized: false,
    ...extra,
  };
}

describe('pickCaptureTarget', () => {
  it('takes the focused window', () => {
    const windows = [win(1, 100, 2), win(2, 200, 1, { focused: true })];
    expect(pickCaptureTarget(windows)).toEqual({ window: windows[1], reason: 'focused' });
  });

  it('skips our own focused window for the topmost other one', () => {
    const windows = [win(1, 100, 1), win(2, 200, 3, { focused: true }), win(3, 300, 2)];
    expect(pickCaptureTarget(windows, { pids: [200] })?.window.id).toBe(3);
    expect(pickCaptureTarget(windows, { windowIds: [2] })?.reason).toBe('topmost-other');
    expect(pickCaptureTarget(windows, { titles: [/^Window 2$/] })?.window.id).toBe(3);
    expect(pickCaptureTarget(windows, { titles: ['Window 2', 'Window 3'] })?.window.id).toBe(1);
  });

  it('always skips the current process', () => {
    const windows = [win(1, process.pid, 2, { focused: true }), win(2, 200, 1)];
    expect(pickCaptureTarget(windows)?.window.id).toBe(2);
  });

  it('skips minimized and empty windows', () => {
    const windows = [win(1, 100, 3, { minimized: true }), win(2, 200, 2, { width: 0 }), win(3, 300, 1)];
    expect(pickCaptureTarget(windows)?.window.id).toBe(3);
  });

  it('returns null when only excluded windows remain', () => {
    expect(pickCaptureTarget([win(1, 100, 1, { focused: true })], { pids: [100] })).toBeNull();
    expect(pickCaptureTarget([])).toBeNull();
  });
});

describe('captureEnvironmentProblem', () => {
  it('accepts an X11 session, macOS and Windows', () => {
    expect(captureEnvironmentProblem('linux', { DISPLAY: ':0' })).toBeNull();
    expect(captureEnvironmentProblem('darwin', {})).toBeNull();
    expect(captureEnvironmentProblem('win32', {})).toBeNull();
  });

  it('explains what to do on pure Wayland', () => {
    const problem = captureEnvironmentProblem('linux', { WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' });
    expect(problem?.code).toBe('wayland-unsupported');
    expect(problem?.message).toMatch(/X11|Xorg/);
  });

  it('explains a missing display', () => {
    const problem = captureEnvironmentProblem('linux', {});
    expect(problem?.code).toBe('no-display');
    expect(problem?.message).toContain('DISPLAY');
  });

  it('notes XWayland sessions', () => {
    expect(partialSessionNote('linux', { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' })).toMatch(/XWayland/);
    expect(partialSessionNote('linux', { DISPLAY: ':0' })).toBeNull();
  });
});

describe('coveredRegions', () => {
  it('lists windows stacked above the target that overlap it, in image pixels', () => {
    const target = win(1, 100, 1, { x: 100, y: 100, width: 800, height: 600 });
    const overlay = win(2, 200, 3, { x: 700, y: 50, width: 400, height: 200 });
    const below = win(3, 300, 0, { x: 0, y: 0, width: 2000, height: 2000 });
    const apart = win(4, 400, 4, { x: 1000, y: 1000, width: 50, height: 50 });
    const regions = coveredRegions(
      [target, overlay, below, apart],
      target,
      { x: 100, y: 100, width: 800, height: 600 },
      2,
      { pids: [200] },
    );
    expect(regions).toEqual([{ windowId: 2, own: true, box: { x: 1200, y: 0, w: 400, h: 300 } }]);
  });
});
