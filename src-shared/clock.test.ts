import { describe, expect, it } from 'vitest';
import { chatTime, waitedFor } from './clock';

describe('chat times', () => {
  const now = new Date(2026, 11, 2, 15, 30);
  it('shows the time of day for today and the date before that', () => {
    expect(chatTime(new Date(2026, 11, 2, 14, 5).toISOString(), now)).toMatch(/14.05|0?2.05.PM/);
    expect(chatTime(new Date(2026, 11, 1, 9, 0).toISOString(), now)).toMatch(/Dec.*09.00/);
    expect(chatTime('not a time', now)).toBe('');
  });
  it('says how long someone has waited', () => {
    expect(waitedFor(new Date(2026, 11, 2, 15, 29, 30).toISOString(), now)).toBe('just now');
    expect(waitedFor(new Date(2026, 11, 2, 15, 27).toISOString(), now)).toBe('3 min');
    expect(waitedFor(new Date(2026, 11, 2, 14, 10).toISOString(), now)).toBe('1 h 20 min');
  });
});
