// How deep JSON nests, read from its text: JSON.parse takes any depth, but JSON.stringify (an issue
// quoting a value, a rejection carried to quarantine and the DLQ) overflows the stack near 10,000
// levels. The runtime's records and the tenant files are both checked with it.

/**
 * Deepest nesting of arrays and objects a JSON record may have: a deeper record would fail its whole
 * file (or block its partition) instead of being rejected.
 */
export const MAX_JSON_DEPTH = 1000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether valid JSON `text` nests arrays and objects deeper than `max`; text too short to do so is not scanned. */
export function nestsDeeperThan(text: string, max: number): boolean {
  if (text.length < 2 * (max + 1)) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
