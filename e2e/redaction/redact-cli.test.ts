/** `sidekick redact` as a person or admin runs it: a real process, text on stdin, JSON on stdout. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { readCorpus } from './corpus';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Each call starts a process through tsx; a busy 2-core machine may take a while.
vi.setConfig({ testTimeout: 200_000 });

function sidekick(input: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'src-main/cli/bin.mjs'), 'redact', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('sidekick redact', () => {
  it('prints the redacted text and findings with offsets into the original, in UTF-16 code units', () => {
    // The emoji is two UTF-16 code units: offsets after it show which unit the contract counts in.
    const input = '😀 {"password": "hunter2"}\nMail jörg@beispiel.de, card 4111.1111.1111.1111\nVersion 1.2.3.4\n';
    const run = sidekick(input, '--json');
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { text: string; findings: { kind: string; start: number; end: number }[] };
    expect(Object.keys(doc)).toEqual(['text', 'findings']);
    expect(doc.text).toBe('😀 {"password": "[token]"}\nMail [email], card [card]\nVersion 1.2.3.4\n');
    expect(doc.findings.map((f) => [f.kind, input.slice(f.start, f.end)])).toEqual([
      ['token', 'hunter2'],
      ['email', 'jörg@beispiel.de'],
      ['card', '4111.1111.1111.1111'],
    ]);
    expect(doc.findings[0]).toEqual({ kind: 'token', start: 17, end: 24 });
    expect(run.stdout).not.toContain('hunter2');
  });

  it('works as a filter without --json, multi-line private keys included', () => {
    const pem = readCorpus('dev').find((c) => c.id === 'd-pem-rsa')!;
    const run = sidekick(pem.text + '\n');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('$ cat deploy.key\n[private-key]\n$ ls\n');
  });

  it('refuses a file argument with the command to run instead', () => {
    const run = sidekick('', 'notes.txt');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/sidekick redact < notes\.txt/);
  });
});
