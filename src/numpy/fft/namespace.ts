/** What `numpy.fft` exports (index.ts names each function as JAX does). */
export { fftfreq, fftshift, ifftshift, rfftfreq } from "./freq.js";
export type { FftFreqOptions } from "./freq.js";
export {
  fft,
  ifft,
  rfft,
  irfft,
  hfft,
  ihfft,
  fft2,
  ifft2,
  rfft2,
  irfft2,
  fftn,
  ifftn,
  rfftn,
  irfftn,
} from "./transforms.js";
export type { Fft1dOptions, FftNdOptions, FftNorm } from "./core.js";
