// README.md's first snippet, verbatim below this header (test/examples/readme-snippet.test.ts
// checks that they match), so that `npm test`'s strict type-check covers what a reader copies.
import { type Array, numpy as jnp, jit, makeJaxpr, float } from "jaxts";

const sigmoid = (x: Array) => jnp.divide(1, jnp.exp(x.neg()).add(1));

console.log(makeJaxpr(sigmoid)(float(5.0)).toString());
// { lambda ; a:f32[]. let
//     b:f32[] = neg a
//     c:f32[] = exp b
//     d:f32[] = add c 1.0
//     e:f32[] = div 1.0 d
//   in (e,) }

const fast = jit(sigmoid);               // traced once per signature, one fused kernel
const x = jnp.arange(10_000_000);
console.log(String(fast(x)));            // [0.5       0.7310586 0.8807971 ... 1.        1.        1.       ]
