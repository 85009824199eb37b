/**
 * The words of a text as staff search matches them: lower case (Swedish rules), split at anything
 * that is not a letter or digit, each word once. Read models store them in an indexed array and a
 * search asks for every word of its query, so matching is by whole words: a hash index answers
 * equality, not prefixes.
 */
export function searchWords(text: string): string[] {
  return [...new Set(text.toLocaleLowerCase('sv').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0))];
}

/** The filter of a search for every word of `q`, on a field of `searchWords`; null when `q` has none. */
export function allWordsFilter(field: string, q: string): Record<string, unknown> | null {
  const words = searchWords(q);
  if (words.length === 0) return null;
  return words.length === 1 ? { [field]: words[0] } : { $and: words.map((w) => ({ [field]: w })) };
}
