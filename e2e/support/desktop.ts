/**
 * A private X desktop for tests: Xvfb on its own display, openbox (so _NET_ACTIVE_WINDOW
 * exists), an optional D-Bus session with AT-SPI, and real applications started in it.
 * Every process is started here and stopped by its process id in `stop()`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Options for a test desktop. */
export interface DesktopOptions {
  width?: number;
  height?: number;
  /** Start a private D-Bus session bus and the AT-SPI bus so GTK apps publish their widget tree. */
  accessibility?: boolean;
}

/** A started application window. */
export interface AppWindow {
  pid: number;
  /** X window id (decimal). */
  windowId: number;
}

/** A running private desktop. */
export interface Desktop {
  display: string;
  home: string;
  /** Environment for child processes on this desktop (DISPLAY, HOME, bus address...). */
  env: NodeJS.ProcessEnv;
  /** Starts an application and waits until a window whose name matches `windowName` is mapped. */
  launch(
    command: string,
    args: string[],
    windowName: RegExp | string,
    extraEnv?: NodeJS.ProcessEnv,
  ): Promise<AppWindow>;
  /** Runs xdotool with the desktop's environment and returns stdout. */
  xdotool(...args: string[]): Promise<string>;
  /** Activates (focuses) and optionally resizes a window, waiting for the window manager. */
  focus(windowId: number, size?: { width: number; height: number }): Promise<void>;
  stop(): Promise<void>;
}

/** Why a desktop test cannot run here, or null when Xvfb and openbox are installed. */
export function desktopUnavailableReason(): string | null {
  for (const bin of ['/usr/bin/Xvfb', '/usr/bin/openbox', '/usr/bin/xdotool']) {
    if (!existsSync(bin)) return `${bin} is not installed (apt-get install xvfb openbox xdotool; .ci/run does this)`;
  }
  return null;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  const detail = lastError instanceof Error ? lastError.message : JSON.stringify(lastError);
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${detail}` : ''}`);
}

/** Reads the display number Xvfb writes to fd 3 once it listens (`-displayfd 3`). */
function xvfbDisplayNumber(xvfb: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let written = '';
    let stderr = '';
    const timer = setTimeout(
      () => reject(new Error(`Xvfb did not start within ${timeoutMs} ms: ${stderr.slice(-500)}`)),
      timeoutMs,
    );
    xvfb.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    (xvfb.stdio[3] as NodeJS.ReadableStream | null)?.on('data', (chunk: Buffer) => {
      written += chunk.toString();
      const match = /^(\d+)\n/.exec(written);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    xvfb.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with code ${code} before it was ready: ${stderr.slice(-500)}`));
    });
  });
}

/** Starts Xvfb + openbox (and AT-SPI when asked) on a fresh display with a fresh HOME. */
export async function startDesktop(options: DesktopOptions = {}): Promise<Desktop> {
  const reason = desktopUnavailableReason();
  if (reason) throw new Error(reason);
  const width = options.width ?? 1920;
  const height = options.height ?? 1080;
  const home = mkdtempSync(join(tmpdir(), 'sidekick-desktop-'));
  const children: ChildProcess[] = [];
  // Xvfb picks a free display number itself (-displayfd): test processes running in parallel on
  // one machine never race for the same number.
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'], {
    env: { ...process.env, HOME: home },
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  children.push(xvfb);
  let displayNumber: number;
  try {
    displayNumber = await xvfbDisplayNumber(xvfb, 30_000);
  } catch (error) {
    xvfb.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  const display = `:${displayNumber}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DISPLAY: display,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_RUNTIME_DIR: home,
    GSETTINGS_BACKEND: 'memory',
    NO_AT_BRIDGE: options.accessibility ? '0' : '1',
    LANG: 'C.UTF-8',
  };
  delete env.WAYLAND_DISPLAY;
  delete env.DBUS_SESSION_BUS_ADDRESS;

  const start = (cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): ChildProcess => {
    const child = spawn(cmd, args, { env: { ...env, ...extraEnv }, stdio: 'ignore', detached: false });
    children.push(child);
    return child;
  };

  const desktop: Desktop = {
    display,
    home,
    env,
    async launch(command, args, windowName, extraEnv = {}) {
      const child = start(command, args, extraEnv);
      const pattern = typeof windowName === 'string' ? windowName : windowName.source;
      const windowId = await waitFor(`a window "${pattern}" from ${command}`, 30_000, async () => {
        if (child.exitCode !== null) throw new Error(`${command} exited with code ${child.exitCode}`);
        const { stdout } = await run(
          'xdotool',
          ['search', '--all', '--onlyvisible', '--pid', String(child.pid), '--name', pattern],
          { env },
        ).catch(() => ({ stdout: '' }));
        const ids = stdout.split('\n').filter(Boolean).map(Number);
        return ids.length ? ids[ids.length - 1] : null;
      });
      return { pid: child.pid!, windowId };
    },
    async xdotool(...args) {
      const { stdout } = await run('xdotool', args, { env });
      return stdout;
    },
    async focus(windowId, size) {
      if (size)
        await run('xdotool', ['windowsize', '--sync', String(windowId), String(size.width), String(size.height)], {
          env,
        });
      await run('xdotool', ['windowactivate', '--sync', String(windowId)], { env });
      await waitFor('the window to take focus', 5_000, async () => {
        const { stdout } = await run('xdotool', ['getactivewindow'], { env });
        return Number(stdout.trim()) === windowId ? true : null;
      });
    },
    async stop() {
      for (const child of children.reverse()) {
        if (child.exitCode === null && child.pid) {
          try {
            process.kill(child.pid, 'SIGTERM');
          } catch {
            /* already gone */
          }
        }
      }
      await sleep(200);
      for (const child of children) {
        if (child.exitCode === null && child.pid) {
          try {
            process.kill(child.pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
      }
      rmSync(home, { recursive: true, force: true });
    },
  };

  let atSpiBus: string | undefined;
  try {
    // Generous: on a loaded 2-core CI machine Xvfb and openbox can take well over 10 s to come up.
    await waitFor(`Xvfb on ${display}`, 30_000, async () =>
      existsSync(`/tmp/.X11-unix/X${displayNumber}`) ? true : null,
    );
    if (options.accessibility) {
      const { stdout } = await run('dbus-daemon', ['--session', '--fork', '--print-address=1', '--print-pid=1'], {
        env,
      });
      const [address, pid] = stdout.trim().split('\n');
      env.DBUS_SESSION_BUS_ADDRESS = address;
      children.push({ pid: Number(pid), exitCode: null } as ChildProcess);
      const launcher = ['/usr/libexec/at-spi-bus-launcher', '/usr/lib/at-spi2-core/at-spi-bus-launcher'].find((p) =>
        existsSync(p),
      );
      if (launcher) start(launcher, ['--launch-immediately']);
      env.GTK_MODULES = 'gail:atk-bridge';
      env.QT_ACCESSIBILITY = '1';
      await sleep(500);
      // Qt 5 finds the accessibility bus reliably only through the root window's AT_SPI_BUS
      // property (which the launcher does not set here): asked over the session bus, it registers
      // before the connection is up ("Error in contacting registry: Not connected to D-Bus
      // server") in most runs. GTK reads the same property and gets the same bus. Set once
      // openbox is connected: Xvfb resets (and forgets root properties) when its last client leaves.
      const { stdout: bus } = await waitFor('the AT-SPI bus address', 10_000, async () =>
        run(
          'dbus-send',
          ['--session', '--print-reply=literal', '--dest=org.a11y.Bus', '/org/a11y/bus', 'org.a11y.Bus.GetAddress'],
          { env },
        ),
      );
      atSpiBus = bus.trim();
    }
    let openbox = start('openbox', ['--sm-disable']);
    let openboxStarts = 1;
    await waitFor('openbox to manage the screen', 30_000, async () => {
      // Openbox sometimes exits at once ("Failed to open the display from the DISPLAY environment
      // variable") when it connects the instant Xvfb reports ready (seen 1 in 12 here): start it again.
      if (openbox.exitCode !== null || openbox.signalCode !== null) {
        if (openboxStarts >= 5)
          throw new Error(`openbox exited ${openboxStarts} times (last exit code ${openbox.exitCode})`);
        openbox = start('openbox', ['--sm-disable']);
        openboxStarts++;
        return null;
      }
      const { stdout } = await run('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'], { env });
      return stdout.includes('window id') ? true : null;
    });
    if (atSpiBus) await run('xprop', ['-root', '-f', 'AT_SPI_BUS', '8s', '-set', 'AT_SPI_BUS', atSpiBus], { env });
  } catch (error) {
    await desktop.stop();
    throw error;
  }
  return desktop;
}
