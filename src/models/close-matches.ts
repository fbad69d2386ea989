/**
 * "Did you mean" suggestions for a mistyped name (e.g. a service name given to
 * `session.client`). Small on purpose: a Levenshtein distance plus prefix matches, which is
 * enough to turn 'dynamo' into 'dynamodb' or 'sqss' into 'sqs'.
 */

/** Levenshtein edit distance (insertions, deletions, substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // One rolling row keeps this O(min) in memory; the inputs are short names anyway.
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/**
 * The candidates closest to `word`, best first, at most `limit` of them.
 *
 * A candidate matches when (case-insensitively) its edit distance to `word` is small for the
 * word's length, or when one is a prefix of the other and the shorter is at least 3 characters
 * (so 'dynamo' finds 'dynamodb' and 'dynamodbstreams', but 'e' does not find every 'e...').
 * Ties are broken by name so the answer is stable.
 */
export function closeMatches(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const needle = word.toLowerCase();
  // A third of the length, at least 1 and at most 3: 'sqss' (1 edit) matches 'sqs', while
  // very short words do not match everything of similar length.
  const maxDistance = Math.min(3, Math.max(1, Math.floor(needle.length / 3)));
  const scored: { name: string; score: number }[] = [];
  for (const candidate of candidates) {
    const hay = candidate.toLowerCase();
    const distance = editDistance(needle, hay);
    const shorter = Math.min(needle.length, hay.length);
    const prefix = shorter >= 3 && (hay.startsWith(needle) || needle.startsWith(hay));
    if (distance <= maxDistance || prefix) scored.push({ name: candidate, score: distance });
  }
  scored.sort((x, y) => x.score - y.score || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return scored.slice(0, Math.max(0, limit)).map((s) => s.name);
}
