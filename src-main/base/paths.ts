/** Where Sidekick keeps its files on this machine (outside Electron's userData). */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Sidekick's folder for its own files: `$XDG_CONFIG_HOME/sidekick`, else `~/.config/sidekick`. */
export function sidekickConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(config, 'sidekick');
}
