/** The Park-Miller values of test/fixtures/make_fft.py, reproduced exactly: [-1, 1). */
export function parkMiller(seed: number, count: number): Float64Array {
  const out = new Float64Array(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 48271) % 2147483647;
    out[i] = (state / 2147483647) * 2 - 1;
  }
  return out;
}
