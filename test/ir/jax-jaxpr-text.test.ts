/** Jaxprs that match what JAX 0.4 prints for the same jnp code. */
import { describe, expect, it } from "vitest";
import { type Array, float, makeJaxpr, numpy as jnp } from "../../src/index.js";

describe("jaxpr text as JAX", () => {
  it("int floor_divide stages JAX's sign-based adjustment", () => {
    // jax.make_jaxpr(lambda a: a // 2)(jnp.zeros(2, jnp.int32))
    expect(makeJaxpr((x: Array) => x.floorDiv(2))(jnp.zeros([2], "int32")).toString()).toBe(
      [
        "{ lambda ; a:i32[2]. let",
        "    b:i32[2] = div a 2",
        "    c:i32[2] = sign a",
        "    d:i32[] = sign 2",
        "    e:bool[2] = ne c d",
        "    f:i32[2] = rem a 2",
        "    g:bool[2] = ne f 0",
        "    h:bool[2] = and e g",
        "    i:i32[2] = sub b 1",
        "    j:i32[2] = select_n h b i",
        "  in (j,) }",
      ].join("\n"),
    );
    // values: np.floor_divide([-7, -3, 5, 7, 0, -6], [2, -2, 3, -3, 5, 3])
    const q = jnp.floorDivide(jnp.array([-7, -3, 5, 7, 0, -6]), jnp.array([2, -2, 3, -3, 5, 3]));
    expect(q.tolist()).toEqual([-4, 1, 1, -3, 0, -2]);
  });

  it("a weak float scalar stages as a literal (x ** 3.0 is `pow a 3.0`)", () => {
    const f32 = jnp.zeros([2], "float32");
    expect(makeJaxpr((x: Array) => x.pow(float(3)))(f32).toString()).toBe(
      "{ lambda ; a:f32[2]. let b:f32[2] = pow a 3.0 in (b,) }",
    );
    expect(makeJaxpr((x: Array) => x.mul(float(2)))(jnp.zeros([2], "float16")).toString()).toBe(
      "{ lambda ; a:f16[2]. let b:f16[2] = mul a 2.0 in (b,) }",
    );
    expect(makeJaxpr((x: Array) => x.add(jnp.asarray(1.5)))(f32).toString()).toBe(
      "{ lambda ; a:f32[2]. let b:f32[2] = add a 1.5 in (b,) }",
    );
  });
});
