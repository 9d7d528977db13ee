import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactText } from '../privacy';
import { TeamClient } from './team-client';
import { UsageReporter, type UsageReporterOptions } from './usage-reporter';

function reporter(file: string, overrides: Partial<UsageReporterOptions> = {}) {
  const logs: string[] = [];
  let enabled = true;
  const instance = new UsageReporter({
    file,
    // Nothing listens on port 1: every send fails as "unreachable".
    client: () => new TeamClient('http://127.0.0.1:1', 'sk_tok_test', 2000),
    enabled: () => enabled,
    redactText: (text) => redactText(text),
    maxQueued: 3,
    log: (message) => logs.push(message),
    ...overrides,
  });
  return { instance, logs, setEnabled: (value: boolean) => (enabled = value) };
}

function queued(file: string): Array<{ type: string; question?: string }> {
  return (JSON.parse(readFileSync(file, 'utf8')) as { events: Array<{ type: string; question?: string }> }).events;
}

describe('UsageReporter', () => {
  it('keeps unsent events on disk, redacted, capped with a log line, and loads them again', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sidekick-usage-')), 'usage-events.json');
    const { instance, logs } = reporter(file);
    for (const n of [1, 2, 3, 4, 5])
      expect(
        instance.record({ type: 'no_match', app: 'Gnumeric', question: `question ${n} for ana@example.org` }),
      ).toBe(true);
    expect(instance.pending()).toBe(3);
    expect(logs).toContain(
      'Usage events: the queue is full (3 events not yet accepted by the team server); dropped the 1 oldest',
    );
    expect(queued(file).map((event) => event.question)).toEqual([
      'question 3 for [email]',
      'question 4 for [email]',
      'question 5 for [email]',
    ]);
    const result = await instance.flush();
    expect(result).toMatchObject({ sent: 0, pending: 3 });
    expect(result.problem).toMatch(/not reachable/);
    expect(reporter(file).instance.pending()).toBe(3);
  });

  it('records nothing while off, and drops what waits when sharing is turned off', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sidekick-usage-')), 'usage-events.json');
    const { instance, setEnabled, logs } = reporter(file);
    setEnabled(false);
    expect(instance.record({ type: 'no_match', app: 'Gnumeric', question: 'watermark' })).toBe(false);
    expect(existsSync(file)).toBe(false);
    setEnabled(true);
    instance.record({ type: 'walkthrough_abandoned', app: 'Gnumeric', walkthroughId: 'gnumeric-zoom', stepIndex: 1 });
    setEnabled(false);
    expect(await instance.flush()).toEqual({ sent: 0, pending: 0, problem: null });
    expect(queued(file)).toEqual([]);
    expect(logs).toContain('Usage events: dropped 1 unsent events (sharing usage with the team is off)');
  });

  it('sets a damaged queue file aside and starts empty', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sidekick-usage-')), 'usage-events.json');
    writeFileSync(file, '{"version": 1, "events": [');
    const { instance, logs } = reporter(file);
    expect(instance.pending()).toBe(0);
    expect(existsSync(`${file}.broken`)).toBe(true);
    expect(logs[0]).toMatch(/usage-events\.json is damaged; kept it as .*\.broken and started empty/);
  });
});
