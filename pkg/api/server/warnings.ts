/**
 * The `Warning` headers of one answer, after apiserver's warning recorder: a text given twice is
 * sent once, and once the texts pass 4096 characters in all, each is cut to its first 256
 * characters and no more are added once the cut ones reach 4096 again. Without the cap a body
 * with thousands of unknown fields (fieldValidation Warn) yields headers no client reads (Node's
 * default limit is 16 KiB); with it they stay under about 8 KiB.
 */
export function warningHeaders(texts: string[]): string[] {
  const unique = [...new Set(texts.filter((t) => t !== ''))];
  let sent: string[] = [];
  let written = 0;
  let cutting = false;
  for (const [i, whole] of unique.entries()) {
    if (cutting && written >= TOTAL) break;
    const text = cutting ? cut(whole) : whole;
    if (cutting || written + weight(text) <= TOTAL) {
      sent.push(text);
      written += weight(text);
      continue;
    }
    // Over budget for the first time: the texts so far, this one included, are sent cut.
    cutting = true;
    sent = unique.slice(0, i + 1).map(cut);
    written = sent.reduce((n, t) => n + weight(t), 0);
  }
  return sent.map(warningHeader);
}

const TOTAL = 4096;
const ITEM = 256;

const cut = (text: string) => [...text].slice(0, ITEM).join('');

/** Characters as upstream counts runes, except that one sent escaped (\uXXXX) counts as the escape's length. */
function weight(text: string): number {
  let n = 0;
  for (const c of text) n += c >= ' ' && c < '\x7f' ? 1 : 6 * c.length;
  return n;
}

/**
 * `299 - "text"`, quoted so Go's strconv.Unquote (client-go's warning parser) reads it back. The
 * text can echo client input (unknown field names); everything past printable ASCII is escaped
 * as \uXXXX, since a header with control or non-Latin-1 characters cannot be sent at all.
 */
export function warningHeader(text: string): string {
  const quoted = JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `299 - ${quoted}`;
}
