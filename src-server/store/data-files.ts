/**
 * The team server's data folder and database file on disk: private modes (folder 0700, files
 * 0600, since they hold screenshots and chats) and the checks made before SQLite opens the file,
 * so a zero-byte, truncated, damaged or foreign file is refused with advice instead of being
 * silently replaced by a new, empty team.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';

/** A data folder or database file the server will not use as it is; the message says what to do. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'DataFileError';
  }
}

/** Creates the data folder 0700, or tightens an existing one that others can read (warning if it cannot). */
export function preparePrivateDir(dir: string, warn: (message: string) => void): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700); // mkdir's mode is filtered by the umask; make sure.
    return;
  }
  tightenMode(dir, 0o700, warn);
}

/** Removes group/other permissions from an existing file or folder (warning when that fails). */
export function tightenMode(path: string, mode: 0o600 | 0o700, warn: (message: string) => void): void {
  if (process.platform === 'win32' || !existsSync(path)) return;
  const current = statSync(path).mode & 0o777;
  if ((current & 0o077) === 0) return;
  try {
    chmodSync(path, current & mode);
    warn(
      `${path} was readable by other users (mode ${current.toString(8)}); ` +
        `changed it to ${(current & mode).toString(8)}`,
    );
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    warn(
      `${path} is readable by other users (mode ${current.toString(8)}) ` +
        `and could not be changed (${why}); run: chmod go-rwx "${path}"`,
    );
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * Checks an existing database file before opening it: refuses a zero-byte file and a file that is
 * not SQLite. Returns false when the file does not exist yet (then it was created empty, mode 0600).
 */
export function checkOrCreateDatabaseFile(file: string, warn: (message: string) => void): boolean {
  if (!existsSync(file)) {
    closeSync(openSync(file, 'wx', 0o600));
    return false;
  }
  const size = statSync(file).size;
  if (size === 0) {
    throw new DataFileError(
      file,
      `${file} is empty (0 bytes): it holds no team data, and the server will not start a new, empty team over it. ` +
        `If you restored a backup, the copy failed: copy the backup again. To really start over, move the file away ` +
        `(mv "${file}" "${file}.empty") and start the server again.`,
    );
  }
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 512 || header.toString('latin1') !== SQLITE_MAGIC) {
    throw new DataFileError(
      file,
      `${file} is not a SQLite database (${size} bytes, without the SQLite header). Restore team.sqlite from a ` +
        `backup, point --data at the right folder, or move this file away to start a new, empty server.`,
    );
  }
  for (const path of [file, `${file}-wal`, `${file}-shm`]) tightenMode(path, 0o600, warn);
  return true;
}

/** The refusal for a database SQLite reports as damaged (quick_check findings or a corrupt-file error). */
export function damagedDatabaseError(file: string, detail: string): DataFileError {
  return new DataFileError(
    file,
    `${file} is damaged (${detail.replace(/\s+/g, ' ').trim().slice(0, 300)}). The server did not start, so nothing ` +
      `more was written. Keep the file, then either restore team.sqlite from your latest backup (stop the server, ` +
      `copy the backup over it, start again), or salvage what is readable: sqlite3 "${file}" ".recover" | sqlite3 ` +
      `recovered.sqlite and use recovered.sqlite as team.sqlite.`,
  );
}
