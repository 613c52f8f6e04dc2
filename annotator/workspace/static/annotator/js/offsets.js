// The one place where browser offsets (UTF-16 code units) meet server
// offsets (Unicode code points over the stored text). Everything else in the
// workspace keeps both: `start`/`end` (code points, as stored) and
// `s16`/`e16` (UTF-16, for the DOM).

export class OffsetIndex {
  constructor(text) {
    this.text = text;
    this.length16 = text.length;
    // UTF-16 positions of the high surrogates (astral characters, e.g. emoji), ascending.
    const astral = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { astral.push(i); i++; }
      }
    }
    this.astral = astral;
    this.lengthCp = text.length - astral.length;
  }

  // Number of astral characters starting before UTF-16 position u.
  _before16(u) {
    let lo = 0, hi = this.astral.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.astral[mid] < u) lo = mid + 1; else hi = mid; }
    return lo;
  }

  toCodePoint(u16) {
    if (u16 < 0 || u16 > this.length16) throw new RangeError(`UTF-16 offset ${u16} is outside the text`);
    // Inside a surrogate pair the position counts as the start of that character.
    return u16 - this._before16(u16);
  }

  toUtf16(cp) {
    if (cp < 0 || cp > this.lengthCp) throw new RangeError(`offset ${cp} is outside 0..${this.lengthCp}`);
    // astral[k] (UTF-16) holds code point astral[k] - k; count those before cp.
    let lo = 0, hi = this.astral.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.astral[mid] - mid < cp) lo = mid + 1; else hi = mid; }
    return cp + lo;
  }

  // True when u16 falls between the two halves of a surrogate pair.
  splitsPair(u16) {
    const n = this._before16(u16);
    return n > 0 && this.astral[n - 1] === u16 - 1;
  }
}

export const WORD = /[\p{L}\p{N}\p{M}\p{Pc}'’\-]/u;
const SPACE = /[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]/u;

function charBefore(text, u) {
  if (u <= 0) return ["", 0];
  const c = text.charCodeAt(u - 1);
  if (c >= 0xdc00 && c <= 0xdfff && u >= 2) return [text.slice(u - 2, u), 2];
  return [text[u - 1], 1];
}

function charAt(text, u) {
  if (u >= text.length) return ["", 0];
  const cp = text.codePointAt(u);
  const width = cp > 0xffff ? 2 : 1;
  return [text.slice(u, u + width), width];
}

// Grow [s, e) (UTF-16) to whole words and trim surrounding white space.
// CJK has no spaces, so a selection inside Han/Kana text is only trimmed.
export function snapToWords(text, s, e) {
  if (s > e) [s, e] = [e, s];
  // Trim white space (and NBSP) the selection picked up at either end.
  for (;;) { const [ch, w] = charAt(text, s); if (s < e && ch && SPACE.test(ch)) s += w; else break; }
  for (;;) { const [ch, w] = charBefore(text, e); if (e > s && ch && SPACE.test(ch)) e -= w; else break; }
  if (s >= e) return [s, e];
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
  const [first] = charAt(text, s);
  const [last] = charBefore(text, e);
  if (WORD.test(first) && !cjk.test(first)) {
    for (;;) { const [ch, w] = charBefore(text, s); if (ch && WORD.test(ch) && !cjk.test(ch)) s -= w; else break; }
  }
  if (WORD.test(last) && !cjk.test(last)) {
    for (;;) { const [ch, w] = charAt(text, e); if (ch && WORD.test(ch) && !cjk.test(ch)) e += w; else break; }
  }
  // A combining mark belongs to the character before it: never leave one behind.
  for (;;) { const [ch, w] = charAt(text, e); if (ch && /\p{M}/u.test(ch)) e += w; else break; }
  // Trailing sentence punctuation is not part of the word.
  for (;;) { const [ch, w] = charBefore(text, e); if (e > s && /['’\-]/u.test(ch)) e -= w; else break; }
  for (;;) { const [ch, w] = charAt(text, s); if (s < e && /['’\-]/u.test(ch)) s += w; else break; }
  return [s, e];
}

// Without snapping, still never cut a surrogate pair in half.
export function clampToCharacters(index, s, e) {
  if (s > e) [s, e] = [e, s];
  if (index.splitsPair(s)) s -= 1;
  if (index.splitsPair(e)) e += 1;
  return [s, e];
}
