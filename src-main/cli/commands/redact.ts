/** `sidekick redact`: what Sidekick would hide in a text before it leaves the machine. */
import { redactText } from '../../privacy';
import { CliError } from '../args';
import type { CliCommand } from '../command';

/** What `sidekick redact --json` prints: offsets are into the ORIGINAL text, in UTF-16 code units. */
export interface RedactResult {
  text: string;
  findings: { kind: string; start: number; end: number }[];
}

/** Reads all of stdin as UTF-8. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// `flags` (no flags besides --json/--help) is declared for the strict flag parsing landing on main.
export const redactCommand: CliCommand & { flags: Record<string, 'string' | 'boolean'> } = {
  name: 'redact',
  flags: {},
  summary: 'Hide secrets and personal data in text from stdin, as Sidekick does before sending',
  usage: [
    'Usage: sidekick redact [--json] < text.txt',
    '',
    'Reads text on stdin and prints it with emails, phone numbers, card numbers, IBANs, keys, tokens,',
    'passwords, private keys and IP addresses replaced by placeholders such as [email].',
    'With --json: {"text": <redacted>, "findings": [{"kind", "start", "end"}]} where start/end are',
    'offsets into the ORIGINAL text in UTF-16 code units (JavaScript string indices), end exclusive.',
    'The findings never hold the secrets themselves.',
  ].join('\n'),
  async run(args) {
    if (args.positionals.length > 0) {
      throw new CliError(`redact reads stdin and takes no file; run: sidekick redact < ${args.positionals[0]}`, 2);
    }
    if (process.stdin.isTTY) throw new CliError('Pipe the text in, e.g. echo "password: hunter2" | sidekick redact', 2);
    const redacted = redactText(await readStdin());
    const result: RedactResult = {
      text: redacted.text,
      findings: redacted.spans.map((s) => ({ kind: s.kind, start: s.start, end: s.end })),
    };
    return result;
  },
  human(result) {
    // The redacted text itself, so the command works as a filter (the CLI adds the last newline back).
    return (result as RedactResult).text.replace(/\n$/, '');
  },
};
