/**
 * webgpu vs js: fused elementwise kernels per dtype (float32 within stated tolerances, ints and
 * bools exactly), broadcasts and views (transpose, slices, reversed axes), casts.
 */
import { it } from "vitest";
import { type Array, jit, numpy as jnp } from "../../../src/index.js";
import { describeWebgpu, shutdownAfterAll } from "./webgpu-env.js";
import { expectSameAsJs, hostFloats, hostInts } from "./compare.js";

shutdownAfterAll();

const xf = hostFloats(24, 1);
const yf = hostFloats(24, 2);
const pos = hostFloats(24, 3, 0.1, 5);
const xi = hostInts(24, 4);
const yi = hostInts(24, 5, -9, 9);
const f = (d = xf) => jnp.array(d).reshape([4, 6]);
const i = (d = xi) => jnp.array(d).reshape([4, 6]);

describeWebgpu("webgpu elementwise", () => {
  // + − × ÷ √ are exact IEEE float32 ops in WGSL on this path; transcendentals within 2e-6.
  it.each([
    ["neg", () => jnp.negative(f()), 0],
    ["abs", () => jnp.abs(f()), 0],
    ["sign", () => jnp.sign(f()), 0],
    ["floor", () => jnp.floor(f()), 0],
    ["ceil", () => jnp.ceil(f()), 0],
    ["round (half to even)", () => jnp.round(f().mul(2.5)), 0],
    ["sqrt", () => jnp.sqrt(f(pos)), 1e-7],
    ["exp", () => jnp.exp(f()), 2e-6],
    ["log", () => jnp.log(f(pos)), 2e-6],
    ["tanh", () => jnp.tanh(f()), 2e-6],
    ["sin", () => jnp.sin(f()), 2e-6],
    ["cos", () => jnp.cos(f()), 2e-6],
    ["expm1", () => jnp.expm1(f().mul(1e-3)), 2e-6],
    ["log1p", () => jnp.log1p(f(pos).mul(1e-3)), 2e-6],
    ["sigmoid", () => jnp.divide(1, jnp.add(1, jnp.exp(jnp.negative(f())))), 2e-6],
    [
      "add/sub/mul/div",
      () =>
        f()
          .add(f(yf))
          .mul(f())
          .sub(f(yf).div(f(pos))),
      1e-7,
    ],
    ["maximum/minimum", () => jnp.maximum(f(), jnp.minimum(f(yf), 0.5)), 0],
    ["power (positive base)", () => jnp.power(f(pos), f(yf)), 4e-6],
    [
      "power (integer exponents of negative bases)",
      () => jnp.power(f(), jnp.array([0, 1, 2, 3, -1, -2]).astype("float32")),
      4e-6,
    ],
    ["fmod", () => jnp.fmod(f(pos).mul(3), 1.5), 1e-6],
    ["where", () => jnp.where(f().gt(0), f(), f(yf).mul(2)), 0],
  ] as const)("float32 %s", async (name, fn, rtol) => {
    await expectSameAsJs(fn, rtol, rtol === 0 ? 0 : 1e-7, name);
  });

  it.each([
    ["add/sub/mul", () => i().add(i(yi)).mul(i()).sub(7)],
    [
      "floor_divide and remainder (incl. ÷0)",
      () => jnp.floorDivide(i(), i(yi)).add(jnp.remainder(i(), i(yi))),
    ],
    ["maximum/minimum/abs/negative", () => jnp.maximum(jnp.abs(i()), jnp.negative(i(yi)))],
    [
      "bitwise and/or/xor/not",
      () => jnp.bitwiseXor(jnp.bitwiseAnd(i(), 12), jnp.bitwiseOr(jnp.bitwiseNot(i(yi)), 3)),
    ],
    [
      "shifts (past the width too)",
      () => jnp.leftShift(i(), jnp.abs(i(yi)).mul(4)).add(jnp.rightShift(i(), jnp.abs(i(yi)))),
    ],
    ["integer power", () => jnp.power(i(yi), 3)],
    ["wrapping multiply", () => i().mul(123456789).mul(97)],
  ] as const)("int32 %s", async (name, fn) => {
    await expectSameAsJs(fn, 0, 0, name);
  });

  it("uint32 arithmetic, shifts and wrap", async () => {
    await expectSameAsJs(() => {
      const u = i().astype("uint32");
      return u.mul(2654435761).add(jnp.rightShift(u, jnp.array(3).astype("uint32")));
    });
  });

  it("bool logic and comparisons", async () => {
    await expectSameAsJs(() => jnp.logicalXor(f().gt(f(yf)), jnp.logicalNot(i().le(0))));
    await expectSameAsJs(() => jnp.logicalAnd(f().ge(0), f(yf).ne(f())).astype("int32"));
    await expectSameAsJs(() => jnp.equal(i().gt(3), i(yi).lt(2)));
  });

  it("casts: float→int truncates and saturates with NaN → 0, int→float, bool↔number, int32↔uint32", async () => {
    const special = new Float32Array([
      NaN,
      Infinity,
      -Infinity,
      3e9,
      -3e9,
      -2.7,
      2.7,
      -0.5,
      0,
      -0,
      1e-40,
      7,
    ]);
    await expectSameAsJs(() => jnp.array(special).astype("int32"));
    await expectSameAsJs(() => jnp.array(special).astype("uint32"));
    await expectSameAsJs(() => jnp.array(special).astype("bool"));
    await expectSameAsJs(() => i().astype("float32").mul(0.5));
    await expectSameAsJs(() => f().gt(0).astype("float32"));
    await expectSameAsJs(() => i().astype("uint32").astype("int32").add(1));
  });

  it("broadcasts and views: transposes, slices, reversed axes, fused in one jit", async () => {
    const g = jit((A: Array, B: Array) =>
      A.T.get("::-1", "1:4")
        .mul(B.get("0:6").reshape([6, 1]))
        .add(jnp.exp(A.T.get("::-1", "0:3"))),
    );
    await expectSameAsJs(() => g(f(), jnp.array(yf.slice(0, 6))), 2e-6, 1e-6);
    await expectSameAsJs(
      () =>
        f()
          .reshape([4, 1, 6])
          .add(f(yf).reshape([1, 4, 6]))
          .sum(0),
      1e-6,
      1e-6,
    );
  });

  it("large arrays: 5 000 000 elements need 78 125 workgroups, a 2-D grid of them", async () => {
    await expectSameAsJs(() => jnp.arange(200_000).astype("float32").mul(0.5).add(1));
    await expectSameAsJs(() => jnp.arange(5_000_000).mul(3).add(1));
  });
});

describeWebgpu("webgpu NaN handling (shader compilers may assume no NaNs)", () => {
  const special = () => jnp.array(new Float32Array([NaN, 0, -0, 1, -Infinity, Infinity]));
  const other = () => jnp.array(new Float32Array([NaN, NaN, 0, 1, 2, Infinity]));
  it("NaN → bool is true (regression: `x != 0.0` gave false)", async () => {
    await expectSameAsJs(() => special().astype("bool"));
  });
  it("comparisons with NaN operands", async () => {
    for (const op of ["equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual"] as const)
      await expectSameAsJs(() => jnp[op](special(), other()), 0, 0, op);
  });
  it("maximum/minimum propagate NaN and order -0 < +0", async () => {
    await expectSameAsJs(() => jnp.maximum(special(), other()));
    await expectSameAsJs(() =>
      jnp.minimum(special(), jnp.array(new Float32Array([1, -0, 0, NaN, 0, 0]))),
    );
  });
});
