import { describe, expect, it } from 'vitest';
import type { QueueStatus } from '../../../src-shared/team';
import { chatTime } from '../../../src-shared/clock';
import { askingText } from './ChatPanel';

const NOW = new Date('2026-12-08T10:32:00Z');
const LATER = '2026-12-08T10:42:00.000Z';
const BASE: QueueStatus = {
  requestId: 'req_abcdefgh',
  state: 'open',
  position: 1,
  helpersOnline: 0,
  typicalWaitMinutes: null,
  sampleSize: 0,
};

describe('askingText: who is asked first, for the person waiting', () => {
  it('names one helper with their reason, several with the shared topic, and when the whole team sees it', () => {
    const one = { ...BASE, asking: [{ name: 'Dana', reason: 'solved 4 similar problems about printing' }] };
    expect(askingText({ ...one, askingAbout: 'printing', wholeTeamAt: LATER }, NOW)).toBe(
      `Asking Dana first — solved 4 similar problems about printing; the whole team at ${chatTime(LATER, NOW)}`,
    );
    const three = ['Dana', 'Sam', 'Kim'].map((name) => ({ name, reason: 'solved 1 similar problem' }));
    expect(askingText({ ...BASE, asking: three, askingAbout: '', wholeTeamAt: LATER }, NOW)).toBe(
      `Asking Dana, Sam and Kim first — they solved similar problems; the whole team at ${chatTime(LATER, NOW)}`,
    );
  });

  it('says how many without names, the whole team once its time came, and nothing for older servers', () => {
    const hidden = [{ name: null, reason: 'solved 2 similar problems about pages' }];
    expect(askingText({ ...BASE, asking: hidden, askingAbout: 'pages', wholeTeamAt: LATER }, NOW)).toBe(
      `Asking a helper who solved similar problems about pages first; the whole team at ${chatTime(LATER, NOW)}`,
    );
    expect(
      askingText({ ...BASE, asking: hidden, askingAbout: 'pages', wholeTeamAt: '2026-12-08T10:00:00Z' }, NOW),
    ).toBe('Your whole team can see your request now');
    expect(askingText({ ...BASE, asking: [], askingAbout: '', wholeTeamAt: LATER }, NOW)).toBe(
      'Asking your whole team',
    );
    expect(askingText(BASE, NOW)).toBeNull();
    expect(askingText({ ...BASE, position: null, asking: hidden, wholeTeamAt: LATER }, NOW)).toBeNull();
  });
});
