/* Chinese query splitting for the book's search page (see highlands_build/sphinx/search.py).
 *
 * Sphinx's searchtools.js splits a query only at non-letters, so 广州开发区知识城 stays one term
 * that no page's index holds. The index was built with jieba and a user dictionary of the book's
 * names and terms; the search page gets the same terms (window.BOOK_SEARCH_TERMS, from
 * zh-search-terms.js). This replaces Sphinx's splitQuery: it splits at non-letters exactly as
 * Sphinx does, then cuts each piece that contains Chinese into the longest dictionary terms, left
 * to right. Leftover text between terms is kept as one term when it has two or more characters
 * (the index drops one-character words); a piece with no dictionary term in it is searched whole,
 * as before. Loaded on every page (Jupyter Book adds _static/*.js), used on the search page only.
 */
(() => {
  "use strict";
  const HAN = /\p{Script=Han}/u;
  let terms = null;
  let longest = 0;

  const dictionary = () => {
    if (terms === null) {
      terms = new Set(window.BOOK_SEARCH_TERMS || []);
      terms.forEach((term) => { longest = Math.max(longest, Array.from(term).length); });
    }
    return terms;
  };

  const segment = (piece) => {
    const known = dictionary();
    if (!HAN.test(piece) || known.has(piece) || known.size === 0) return [piece];
    const chars = Array.from(piece);
    const out = [];
    let rest = "";
    for (let i = 0; i < chars.length; ) {
      let match = "";
      for (let n = Math.min(longest, chars.length - i); n >= 2; n--) {
        const candidate = chars.slice(i, i + n).join("");
        if (known.has(candidate)) { match = candidate; break; }
      }
      if (match) {
        if (rest) out.push(rest);
        rest = "";
        out.push(match);
        i += Array.from(match).length;
      } else {
        rest += chars[i];
        i += 1;
      }
    }
    if (rest) out.push(rest);
    if (!out.some((term) => known.has(term))) return [piece];
    return out.filter((term) => known.has(term) || Array.from(term).length > 1);
  };

  // Sphinx's own splitter (searchtools.js, Sphinx 7), then the dictionary cut.
  window.splitQuery = (query) =>
    query
      .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
      .filter((term) => term)
      .flatMap(segment);
})();
