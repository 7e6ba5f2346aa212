/**
 * Options objects (JS's keyword arguments): `checkOptionKeys` rejects a key the function does
 * not take with a TypeError naming the nearest valid one (`in_axes` → `inAxes`,
 * `static_argnums` → `staticArgnums`), as Python rejects an unexpected keyword argument.
 */

/** The option a misspelt key most likely meant (`static_argnums`, `donateArgnum`, …). */
export function nearestOption(key: string, valid: readonly string[]): string | undefined {
  const norm = (k: string) => k.toLowerCase().replace(/_/g, "");
  const k = norm(key);
  let best: string | undefined;
  let bestLen = 3;
  for (const o of valid) {
    const n = norm(o);
    let l = 0;
    while (l < k.length && l < n.length && k[l] === n[l]) l++;
    if (l === k.length && l === n.length) return o;
    if (l > bestLen) [best, bestLen] = [o, l];
  }
  return best;
}

/**
 * Throws `fn() got an unexpected keyword argument 'key'. Did you mean 'near'? fn options are
 * …` for the first key of `opts` not in `valid`.
 */
export function checkOptionKeys(fn: string, opts: unknown, valid: readonly string[]): void {
  if (typeof opts !== "object" || opts === null || globalThis.Array.isArray(opts)) return;
  for (const key of Object.keys(opts)) {
    if (valid.includes(key)) continue;
    const near = nearestOption(key, valid);
    throw new TypeError(
      `${fn}() got an unexpected keyword argument '${key}'.` +
        (near ? ` Did you mean '${near}'?` : "") +
        ` ${fn} options are ${valid.join(", ")}.`,
    );
  }
}
