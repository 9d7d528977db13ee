/**
 * Reads the file list of an Electron app.asar archive from its header (a Chromium pickle holding JSON), so tests
 * can see what electron-builder put inside the archive and what it marked as unpacked (in app.asar.unpacked).
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** One file in the archive. */
export interface AsarFile {
  /** Path inside the archive, with forward slashes and no leading slash: `out/main/main.js`. */
  path: string;
  /** True when the file lives in app.asar.unpacked beside the archive instead. */
  unpacked: boolean;
}

interface AsarNode {
  files?: Record<string, AsarNode>;
  unpacked?: boolean;
  link?: string;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  if (readSync(fd, buffer, 0, length, position) !== length) throw new Error('app.asar is shorter than its header says');
  return buffer;
}

/** Every file (not folder or link) listed in the archive's header. */
export function listAsar(archive: string): AsarFile[] {
  const fd = openSync(archive, 'r');
  let header: AsarNode;
  try {
    // Pickle 1: [payload size = 4][header pickle size]; pickle 2: [payload size][JSON length][JSON, padded].
    const jsonLength = readAt(fd, 12, 4).readUInt32LE(0);
    header = JSON.parse(readAt(fd, 16, jsonLength).toString('utf8')) as AsarNode;
  } finally {
    closeSync(fd);
  }
  const files: AsarFile[] = [];
  const walk = (node: AsarNode, prefix: string): void => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (child.files) walk(child, path);
      else if (!child.link) files.push({ path, unpacked: child.unpacked === true });
    }
  };
  walk(header, '');
  return files;
}
