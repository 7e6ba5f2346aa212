/** `lax.complex`, `lax.real`, `lax.imag`, `lax.conj`: building and taking apart complex arrays. */
import type { Array } from "../trace/array.js";
import {
  conj as conjOf,
  complex as complexOf,
  imag as imagOf,
  real as realOf,
} from "../primitives/index.js";
import { operand, type Operand } from "./operands.js";

/** `lax.complex(x, y)`: x + i·y, elementwise (float32 → complex64, float64 → complex128). */
export function complex(x: Operand, y: Operand): Array {
  return complexOf(operand("complex", x, "x"), operand("complex", y, "y"));
}
/** `lax.real(x)`: the real part of a complex array (its part dtype). */
export function real(x: Operand): Array {
  return realOf(operand("real", x));
}
/** `lax.imag(x)`: the imaginary part of a complex array. */
export function imag(x: Operand): Array {
  return imagOf(operand("imag", x));
}
/** `lax.conj(x)`: the complex conjugate (a real operand becomes complex with imaginary part 0). */
export function conj(x: Operand): Array {
  return conjOf(operand("conj", x));
}
