/** What `numpy.fft` exports (index.ts names each function as JAX does). */
export { fftfreq, fftshift, ifftshift, rfftfreq } from "./freq.js";
export type { FftFreqOptions } from "./freq.js";
