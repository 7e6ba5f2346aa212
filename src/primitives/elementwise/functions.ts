/**
 * Bind helpers used by rules everywhere (the lax layer exports them), named as the primitive
 * (lax/index.ts gives the few whose lax function is named otherwise their JAX names).
 */
import { named } from "../../core/naming.js";
import { type Value, bind1 } from "../../trace/trace.js";
import { prims } from "./rows.js";

const un = (name: string) => named(name, (x: Value) => bind1(prims[name]!, [x]));
const bin = (name: string) => named(name, (x: Value, y: Value) => bind1(prims[name]!, [x, y]));
export const neg = un("neg");
export const sign = un("sign");
export const floor = un("floor");
export const ceil = un("ceil");
export const isFinite = un("is_finite");
export const exp = un("exp");
export const exp2 = un("exp2");
export const log = un("log");
export const log1p = un("log1p");
export const expm1 = un("expm1");
export const tanh = un("tanh");
export const logistic = un("logistic");
export const sin = un("sin");
export const cos = un("cos");
export const tan = un("tan");
export const asin = un("asin");
export const acos = un("acos");
export const atan = un("atan");
export const sinh = un("sinh");
export const cosh = un("cosh");
export const asinh = un("asinh");
export const acosh = un("acosh");
export const atanh = un("atanh");
export const sqrt = un("sqrt");
export const rsqrt = un("rsqrt");
export const cbrt = un("cbrt");
export const abs = un("abs");
export const erf = un("erf");
export const erfc = un("erfc");
export const erfInv = un("erf_inv");
export const lgamma = un("lgamma");
export const digamma = un("digamma");
/** `lax.bitwise_not` (JAX's `not` primitive): bitwise NOT of ints, logical NOT of bools. */
export const not = un("not");
export const populationCount = un("population_count");
export const add = bin("add");
export const sub = bin("sub");
export const mul = bin("mul");
export const div = bin("div");
export const rem = bin("rem");
export const pow = bin("pow");
export const max = bin("max");
export const min = bin("min");
export const atan2 = bin("atan2");
export const nextafter = bin("nextafter");
/** `lax.bitwise_and` (JAX's `and` primitive): bitwise AND of ints, logical AND of bools. */
export const and = bin("and");
/** `lax.bitwise_or` (JAX's `or` primitive): bitwise OR of ints, logical OR of bools. */
export const or = bin("or");
/** `lax.bitwise_xor` (JAX's `xor` primitive): bitwise XOR of ints, logical XOR of bools. */
export const xor = bin("xor");
export const shiftLeft = bin("shift_left");
export const shiftRightLogical = bin("shift_right_logical");
export const shiftRightArithmetic = bin("shift_right_arithmetic");
export const eq = bin("eq");
export const ne = bin("ne");
export const lt = bin("lt");
export const le = bin("le");
export const gt = bin("gt");
export const ge = bin("ge");
