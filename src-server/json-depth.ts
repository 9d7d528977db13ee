/** A cheap guard run before JSON.parse: how deeply a JSON text nests arrays and objects. */

/**
 * True when `text` opens more than `maxDepth` nested arrays/objects (strings are skipped, escapes
 * honoured). One pass over the characters, no recursion, so a hostile 5,000-deep document costs
 * nothing and is refused with a 400 before any parser or schema walks it.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
