/** The processes that started this one (shell, terminal emulator, IDE), so their windows count as "ours". */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function parentOf(pid: number): number | null {
  try {
    if (process.platform === 'linux') {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
    }
    if (process.platform === 'darwin') {
      const ppid = Number(
        execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8', timeout: 1000 }).trim(),
      );
      return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
    }
  } catch {
    return null;
  }
  return null;
}

/**
 * Process ids of this process's ancestors, nearest first (Linux and macOS; empty elsewhere).
 * `sidekick capture` run from a terminal excludes them so it captures the app, not the terminal.
 */
export function ancestorPids(limit = 32): number[] {
  const pids: number[] = [];
  let pid: number | null = process.ppid;
  while (pid !== null && pid > 1 && pids.length < limit && !pids.includes(pid)) {
    pids.push(pid);
    pid = parentOf(pid);
  }
  return pids;
}
