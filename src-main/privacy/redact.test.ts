import { describe, expect, it } from 'vitest';
import { findSecrets, ibanValid, luhnValid } from './detectors';
import { fillBoxes, mergeRowBoxes, redactScreen, redactText } from './redact';
import type { ScreenText } from '../../src-shared/screen';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.' +
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

describe('checksums', () => {
  it('Luhn accepts real test card numbers and rejects one digit off', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('5555555555554444')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });
  it('mod-97 accepts real IBANs and rejects a typo', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
  });
});

describe('redactText', () => {
  const cases: [string, string, string][] = [
    ['email', 'Mail ana.lopez+work@example.org today', 'Mail [email] today'],
    ['card', 'Card 4111 1111 1111 1111 exp 12/29', 'Card [card] exp 12/29'],
    ['iban', 'IBAN: DE89 3704 0044 0532 0130 00 Thanks', 'IBAN: [iban] Thanks'],
    ['jwt', `token ${JWT}`, 'token [jwt]'],
    ['api-key', 'key sk-proj-AbCdEf0123456789XyZw done', 'key [api-key] done'],
    ['ip', 'server 192.168.10.42 is up', 'server [ip] is up'],
    ['ip6', 'addr 2001:db8::8a2e:370:7334 ok', 'addr [ip] ok'],
    ['phone', 'Call +44 20 7946 0958 now', 'Call [phone] now'],
    ['phone us', 'Call (555) 123-4567 now', 'Call [phone] now'],
    ['labelled', 'password: hunter2hunter', 'password: [token]'],
  ];
  for (const [name, input, expected] of cases) {
    it(`redacts ${name}`, () => expect(redactText(input).text).toBe(expected));
  }
  it('leaves ordinary UI text, dates, times, versions and non-Luhn numbers alone', () => {
    const text = 'Save As… 2026-11-28 12:30:00 Page 3 of 12 Order 4111111111111112 Zoom 100% v1.2.3';
    expect(redactText(text).text).toBe(text);
  });
  it('applies user patterns and reports broken ones without failing', () => {
    const r = redactText('Ticket ACME-12345 here', { customPatterns: [{ pattern: 'ACME-\\d+' }, { pattern: '(' }] });
    expect(r.text).toBe('Ticket [custom] here');
    expect(r.warnings[0]).toMatch(/not a valid regular expression/);
  });
  it('never keeps the secret in findings', () => {
    const r = redactText('ana@example.org');
    expect(JSON.stringify(r.findings)).not.toContain('ana@');
  });
  it('widens overlapping spans instead of leaking the overhang', () => {
    const spans = findSecrets('x sk-abcdefghijklmnopqrstuv@example.org y');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.start).toBe(2);
  });
});

describe('redactScreen', () => {
  const screen: ScreenText = {
    image: { width: 40, height: 20 },
    timings: { totalMs: 1 },
    elements: [
      { id: 'l1', kind: 'line', text: 'Card 4111 1111 1111 1111 ok', conf: 90, box: { x: 0, y: 0, w: 40, h: 10 } },
      { id: 'w1', kind: 'word', lineId: 'l1', text: 'Card', conf: 90, box: { x: 0, y: 0, w: 5, h: 10 } },
      { id: 'w2', kind: 'word', lineId: 'l1', text: '4111', conf: 90, box: { x: 6, y: 0, w: 5, h: 10 } },
      { id: 'w3', kind: 'word', lineId: 'l1', text: '1111', conf: 90, box: { x: 12, y: 0, w: 5, h: 10 } },
      { id: 'w4', kind: 'word', lineId: 'l1', text: '1111', conf: 90, box: { x: 18, y: 0, w: 5, h: 10 } },
      { id: 'w5', kind: 'word', lineId: 'l1', text: '1111', conf: 90, box: { x: 24, y: 0, w: 5, h: 10 } },
      { id: 'w6', kind: 'word', lineId: 'l1', text: 'ok', conf: 90, box: { x: 30, y: 0, w: 5, h: 10 } },
      { id: 'w7', kind: 'word', text: 'bob@example.com', conf: 90, box: { x: 0, y: 12, w: 20, h: 6 } },
    ],
  };
  const image = { width: 40, height: 20, data: new Uint8Array(40 * 20 * 4).fill(255) };

  it('redacts words inside a line finding and paints their boxes only', () => {
    const r = redactScreen(screen, image, {});
    const text = Object.fromEntries(r.screen.elements.map((e) => [e.id, e.text]));
    expect(text).toMatchObject({
      l1: 'Card [card] ok',
      w1: 'Card',
      w2: '[card]',
      w5: '[card]',
      w6: 'ok',
      w7: '[email]',
    });
    expect(r.findings.map((f) => f.elementId).sort()).toEqual(['w2', 'w3', 'w4', 'w5', 'w7']);
    const px = (x: number, y: number) => r.image!.data[(y * 40 + x) * 4];
    expect(px(8, 5)).toBe(64); // inside "4111"
    expect(px(37, 5)).toBe(255); // right of "ok"
    expect(image.data[(5 * 40 + 8) * 4]).toBe(255); // the input is not modified
  });
  it('fills exactly inside the image bounds', () => {
    const out = fillBoxes(image, [{ x: 35, y: 15, w: 100, h: 100 }], 0);
    expect(out.data[(19 * 40 + 39) * 4]).toBe(64);
    expect(out.data.length).toBe(image.data.length);
  });
});

describe('OCR-tolerant screen redaction', () => {
  it('redacts IBAN- and card-shaped numbers whose checksum an OCR slip broke, on screens only', () => {
    const misread = 'IBAN: DE89 3704 0044 0532 01320 00 THANKS';
    expect(redactText(misread).text).toBe(misread);
    const screen: ScreenText = {
      image: { width: 10, height: 10 },
      timings: { totalMs: 1 },
      elements: [
        { id: 'l1', kind: 'line', text: misread, conf: 80, box: { x: 0, y: 0, w: 10, h: 5 } },
        { id: 'l2', kind: 'line', text: 'Card: 4111 1111 1111 1117', conf: 80, box: { x: 0, y: 5, w: 10, h: 5 } },
        {
          id: 'l3',
          kind: 'line',
          text: 'JWT: ey]hbGci0ij.eyJzdwIidiJhbmEifQ.c21nbmFedxXJ1MTIz',
          conf: 50,
          box: { x: 0, y: 5, w: 10, h: 5 },
        },
      ],
    };
    const texts = redactScreen(screen).screen.elements.map((e) => e.text);
    expect(texts).toEqual(['IBAN: [iban] THANKS', 'Card: [card]', 'JWT: [jwt]']);
    expect(redactScreen(screen, null, { ocrTolerant: false }).screen.elements[1]!.text).toBe(
      'Card: 4111 1111 1111 1117',
    );
  });
});

describe('OCR splits inside secrets', () => {
  it('covers an email read with spaces after dots, and the split-off start of a token', () => {
    const screen: ScreenText = {
      image: { width: 10, height: 10 },
      timings: { totalMs: 1 },
      elements: [
        { id: 'l1', kind: 'line', text: 'Email: ana. lopez@example. org', conf: 80, box: { x: 0, y: 0, w: 10, h: 5 } },
        {
          id: 'l2',
          kind: 'line',
          text: 'JWT:ey JhbGci0ijJIUZI1NiJ9.eyJzdwIidiJhbmEifQ.c21nbmFedxXJ1MTIz',
          conf: 50,
          box: { x: 0, y: 5, w: 10, h: 5 },
        },
      ],
    };
    expect(redactScreen(screen).screen.elements.map((e) => e.text)).toEqual(['Email: [email]', 'JWT:[jwt]']);
  });
});

describe('labelled secrets OCR could not read', () => {
  it('covers the rest of the row after "JWT:" when the value was not read', () => {
    const screen: ScreenText = {
      image: { width: 100, height: 20 },
      timings: { totalMs: 1 },
      elements: [
        { id: 'l1', kind: 'line', text: 'JWT:', conf: 80, box: { x: 0, y: 5, w: 10, h: 6 } },
        { id: 'l2', kind: 'line', text: 'ey', conf: 30, box: { x: 14, y: 5, w: 4, h: 6 } },
        { id: 'l3', kind: 'line', text: 'Save', conf: 90, box: { x: 0, y: 14, w: 10, h: 5 } },
      ],
    };
    const image = { width: 100, height: 20, data: new Uint8Array(100 * 20 * 4).fill(255) };
    const r = redactScreen(screen, image);
    expect(r.screen.elements.map((e) => e.text)).toEqual(['JWT:', '[token]', 'Save']);
    expect(r.image!.data[(8 * 100 + 40) * 4]).toBe(64);
    expect(r.image!.data[(8 * 100 + 5) * 4]).toBe(255); // the label stays readable
  });
});

describe('mergeRowBoxes', () => {
  it('joins neighbours on a row into one bar and keeps other rows apart', () => {
    const boxes = [
      { x: 58, y: 121, w: 35, h: 10 },
      { x: 104, y: 121, w: 34, h: 10 },
      { x: 149, y: 121, w: 34, h: 10 },
      { x: 58, y: 142, w: 35, h: 10 },
      { x: 400, y: 121, w: 20, h: 10 },
    ];
    expect(mergeRowBoxes(boxes)).toEqual([
      { x: 58, y: 121, w: 125, h: 10 },
      { x: 400, y: 121, w: 20, h: 10 },
      { x: 58, y: 142, w: 35, h: 10 },
    ]);
  });
});

describe('secrets the hardening audit (issue 15) found unredacted', () => {
  const PEM = [
    '-----BEGIN PRIVATE KEY-----',
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
    'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
    '-----END PRIVATE KEY-----',
  ].join('\n');
  const cases: [string, string, string][] = [
    ['a JSON password', '{"password": "hunter2"}', '{"password": "[token]"}'],
    ['a quoted password', "password='x'", "password='[token]'"],
    ['DB_PASSWORD=', 'DB_PASSWORD=correct-horse', 'DB_PASSWORD=[token]'],
    ['client_secret=', 'client_secret=9f8e7d6c5b4a3928&x=1', 'client_secret=[token]&x=1'],
    ['AWS_SECRET_ACCESS_KEY=', 'AWS_SECRET_ACCESS_KEY=Zx8Pq2LmN4vR7tY1uI9oK3', 'AWS_SECRET_ACCESS_KEY=[token]'],
    ['a Stripe live key', 'key sk_live_51NzQx2KpL8vRtYb3mWcD9eFg ok', 'key [api-key] ok'],
    ['an AWS session key id', 'id ASIAQNZGKIQY56JQ7WML ok', 'id [api-key] ok'],
    ['Authorization: Basic', 'Authorization: Basic YWRtaW46czNjcjN0UGFzcw==', 'Authorization: Basic [token]'],
    ['Cookie: session=', 'Cookie: session=8f14e45fceea167a5a36', 'Cookie: [token]'],
    ['a PEM private key', `key:\n${PEM}\n$`, 'key:\n[private-key]\n$'],
    ['a tel: link', 'Call tel:+4930123456789 now', 'Call tel:[phone] now'],
    ['a national number after a label', 'Phone: 2125550199', 'Phone: [phone]'],
    ['+49-30-…', 'Fax +49-30-1234567', 'Fax [phone]'],
    ['a lower-case IBAN', 'iban: de89 3704 0044 0532 0130 00', 'iban: [iban]'],
    ['a dotted card number', 'Card 4111.1111.1111.1111 exp', 'Card [card] exp'],
    ['an IDN email', 'To jörg@beispiel.de and user@пример.рф', 'To [email] and [email]'],
  ];
  for (const [name, input, expected] of cases) {
    it(`redacts ${name}`, () => expect(redactText(input).text).toBe(expected));
  }
  it('keeps versions, section numbers and settings about secrets', () => {
    const ordinary = ['Version 1.2.3.4', 'Updated to 1.2.3.4', 'v1.2.3.4', 'Section 2.1.4.3', 'Token expires in 3 s'];
    for (const text of [...ordinary, 'API key settings', 'token_type=Bearer', 'password_min_length=12']) {
      expect(redactText(text).text).toBe(text);
    }
    expect(redactText('Server 10.2.3.1 up').text).toBe('Server [ip] up');
  });
});
