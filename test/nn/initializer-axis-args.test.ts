/**
 * Issue 16: the variance-scaling initializers take JAX's positional arguments
 * (`glorot_normal(in_axis=-2, out_axis=-1, batch_axis=(), dtype=float)`,
 * `variance_scaling(scale, mode, distribution, in_axis, out_axis, batch_axis, dtype)`) as well
 * as an options object, and reject unknown or mistyped arguments with a TypeError.
 */
import { describe, expect, it } from "vitest";
import { type Array, nn, random } from "../../src/index.js";

const init = nn.initializers;
const key = random.PRNGKey(0);
const flat = (x: Array): number[] => (x.ravel().tolist() as number[]).map(Number);
const variance = (x: Array): number => {
  const v = flat(x);
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
};

describe("variance-scaling initializers: positional in_axis, out_axis, batch_axis, dtype", () => {
  it("glorotNormal(0, 2) uses those axes (JAX's fans), unlike the default", () => {
    const shape = [10, 3, 40];
    const a = init.glorotNormal(0, 2)(key, shape);
    const b = init.varianceScaling(1, "fan_avg", "truncated_normal", { inAxis: 0, outAxis: 2 });
    expect(flat(a)).toEqual(flat(b(key, shape)));
    expect(flat(a)).toEqual(flat(init.glorotNormal({ inAxis: 0, outAxis: 2 })(key, shape)));
    expect(flat(a)).toEqual(flat(init.xavierNormal(0, { outAxis: 2 })(key, shape)));
    expect(flat(a)).not.toEqual(flat(init.glorotNormal()(key, shape)));
  });
  it("the sample variance matches scale / fan (fans from the given axes)", () => {
    // [100, 10, 400] with in_axis 0, out_axis 2: receptive field 10, fan_in 1000, fan_out 4000.
    const shape = [100, 10, 400];
    expect(init.computeFans(shape, 0, 2)).toEqual([1000, 4000]);
    const v = variance(init.glorotUniform(0, 2)(key, shape, "float32"));
    expect(Math.abs(v / (1 / 2500) - 1)).toBeLessThan(0.02);
    const w = variance(init.kaimingUniform(2, 0)(key, shape, "float32"));
    expect(Math.abs(w / (2 / 4000) - 1)).toBeLessThan(0.02); // fan_in is now axis 2's 400 * 10
  });
  it("batch_axis dims leave the receptive field", () => {
    const shape = [4, 30, 50];
    expect(init.computeFans(shape, -2, -1, 0)).toEqual([30, 50]);
    const a = init.heNormal(-2, -1, 0)(key, shape);
    const b = init.varianceScaling(2, "fan_in", "truncated_normal", { batchAxis: 0 })(key, shape);
    expect(flat(a)).toEqual(flat(b));
    expect(flat(a)).not.toEqual(flat(init.heNormal()(key, shape)));
    expect(flat(init.lecunNormal(-2, -1, [0])(key, shape))).toEqual(
      flat(init.lecunNormal({ batchAxis: [0] })(key, shape)),
    );
  });
  it("dtype positionally, and varianceScaling's positional axes", () => {
    expect(init.glorotNormal(-2, -1, [], "float16")(key, [4, 4]).dtype.name).toBe("float16");
    const p = init.varianceScaling(1, "fan_in", "normal", 0, 1, [], "float16")(key, [6, 8]);
    const o = init.varianceScaling(1, "fan_in", "normal", {
      inAxis: 0,
      outAxis: 1,
      dtype: "float16",
    })(key, [6, 8]);
    expect(p.dtype.name).toBe("float16");
    expect(flat(p)).toEqual(flat(o));
    const swapped = init.lecunUniform(1, 0)(key, [6, 8]);
    expect(flat(swapped)).toEqual(flat(init.lecunUniform({ inAxis: 1, outAxis: 0 })(key, [6, 8])));
    expect(flat(swapped)).not.toEqual(flat(init.lecunUniform()(key, [6, 8])));
  });
  it("unknown, surplus, repeated or mistyped arguments raise TypeError", () => {
    const g = init.glorotNormal as (...a: unknown[]) => unknown;
    const vs = init.varianceScaling as (...a: unknown[]) => unknown;
    expect(() => g("fan_in")).toThrow(TypeError);
    expect(() => g(0.5)).toThrow(TypeError);
    expect(() => g(0, [1, "a"])).toThrow(TypeError);
    expect(() => g(0, 1, [], "float32", 5)).toThrow(TypeError);
    expect(() => g({ inAxes: 0 })).toThrow(/unexpected keyword argument 'inAxes'/);
    expect(() => g(0, { inAxis: 1 })).toThrow(/multiple values for argument 'inAxis'/);
    expect(() => g(-2, -1, [], "notadtype")).toThrow(TypeError);
    expect(() => vs(1, "fan_in", "normal", 0, 1, [], null, 9)).toThrow(TypeError);
    expect(() => vs("1", "fan_in", "normal")).toThrow(TypeError);
    expect(() => (init.heUniform as (...a: unknown[]) => unknown)(null, "x")).toThrow(TypeError);
  });
});
