import { describe, expect, it } from 'vitest';
import { isRequestForMe, type Routing } from './team';

const ROUTING: Routing = {
  suggested: [{ member: { id: 'mem_dana', name: 'Dana', role: 'helper' }, reasons: [], askerReason: '' }],
  wholeTeamAt: '2026-12-08T10:42:00.000Z',
  topic: '',
};

describe('isRequestForMe: the console decides by its own clock', () => {
  it('is for the suggested helpers at once, for everyone from wholeTeamAt, and for everyone without routing', () => {
    const before = Date.parse('2026-12-08T10:41:59Z');
    const at = Date.parse(ROUTING.wholeTeamAt);
    expect(isRequestForMe({ routing: ROUTING }, 'mem_dana', before)).toBe(true);
    expect(isRequestForMe({ routing: ROUTING }, 'mem_sam', before)).toBe(false);
    expect(isRequestForMe({ routing: ROUTING }, 'mem_sam', at)).toBe(true);
    expect(isRequestForMe({}, 'mem_sam', before)).toBe(true);
    expect(isRequestForMe({ routing: null }, 'mem_sam', before)).toBe(true);
  });
});
