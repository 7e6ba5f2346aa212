// Child program of bundle-size.test.ts, run both from the sources (tsx) and bundled by esbuild
// with package.json's sideEffects applied: the outputs must be equal. It touches what modules
// register on import — primitives looked up by name (grad of broadcast needs reduce_sum), the
// transformation rules of cond / scan / checkpoint / custom JVPs, array methods, the devices.
import { checkpoint, grad, jit, lax, makeJaxpr, nn, numpy as jnp, random, vmap } from "jaxts";
import type { Array } from "jaxts";

const x = jnp.array([0.5, 1.5, 2.5]);
const lines = [
  String(jnp.ones([3]).add(1)),
  String(grad((v: Array) => jnp.sin(v).sum())(x)),
  String(grad((v: Array) => jnp.broadcastTo(v, [2, 3]).sum())(x)),
  String(
    jit((v: Array) =>
      lax.cond(
        v.sum().gt(0),
        (a: Array) => a.mul(2),
        (a: Array) => a,
        v,
      ),
    )(x),
  ),
  String(
    grad((v: Array) => lax.scan((c: Array, a: Array) => [c.mul(a), c], jnp.ones([]), v)[0])(x),
  ),
  String(grad(checkpoint((v: Array) => jnp.exp(v).sum()))(x)),
  String(grad((v: Array) => nn.relu(v).sum())(x)),
  String(vmap((v: Array) => v.sum())(jnp.ones([2, 3]))),
  String(random.normal(random.key(0), [2])),
  String(jnp.sort(jnp.array([3, 1, 2]))),
  makeJaxpr((v: Array) => jnp.cumsum(v))(x).toString(),
];
console.log(lines.join("\n"));
