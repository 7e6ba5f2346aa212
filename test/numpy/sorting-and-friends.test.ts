import { describe, expect, it } from "vitest";
import { type Array, jit, numpy as jnp } from "../../src/index.js";

const list = (a: Array) => (a as unknown as { tolist(): unknown }).tolist();
const close = (a: Array, expected: number[][] | number[], tol = 1e-6) => {
  const got = [list(a)].flat(3) as number[];
  const want = (expected as unknown[]).flat(3) as number[];
  expect(got.length).toBe(want.length);
  got.forEach((g, k) =>
    expect(Math.abs(g - want[k]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(want[k]!))),
  );
};

// A float32 sample and numpy 2.x results for it (tolerance: float32 rounding).
const r = jnp.asarray(
  [
    [
      0.1257302165031433, -0.13210485875606537, 0.6404226422309875, 0.10490011423826218,
      -0.5356693863868713,
    ],
    [
      0.3615950644016266, 1.3040000200271606, 0.9470809698104858, -0.7037352323532104,
      -1.2654215097427368,
    ],
    [
      -0.6232744455337524, 0.04132597893476486, -2.32503080368042, -0.218791663646698,
      -1.2459110021591187,
    ],
  ],
  "float32",
);

describe("sort, argsort, searchsorted, nonzero", () => {
  it("match numpy", () => {
    close(jnp.sort(r, { axis: 1 }), [
      [
        -0.5356693863868713, -0.13210485875606537, 0.10490011423826218, 0.1257302165031433,
        0.6404226422309875,
      ],
      [
        -1.2654215097427368, -0.7037352323532104, 0.3615950644016266, 0.9470809698104858,
        1.3040000200271606,
      ],
      [
        -2.32503080368042, -1.2459110021591187, -0.6232744455337524, -0.218791663646698,
        0.04132597893476486,
      ],
    ]);
    expect(list(jnp.argsort(r, { axis: 0 }))).toEqual([
      [2, 0, 2, 1, 1],
      [0, 2, 0, 2, 2],
      [1, 1, 1, 0, 0],
    ]);
    expect(list(jnp.sort(jnp.asarray([3, 1, 2]), { descending: true }))).toEqual([3, 2, 1]);
    expect(list(jnp.argsort(jnp.asarray([1, 0, 1, 0]), { descending: true }))).toEqual([
      0, 2, 1, 3,
    ]);
    expect(
      list(
        jnp.sort(
          jnp.asarray([
            [3, 1],
            [0, 2],
          ]),
          { axis: null },
        ),
      ),
    ).toEqual([0, 1, 2, 3]);
    expect(list(jnp.searchsorted(jnp.asarray([1, 2, 2, 3]), jnp.asarray([2, 0, 5])))).toEqual([
      1, 0, 4,
    ]);
    expect(
      list(jnp.searchsorted(jnp.asarray([1, 2, 2, 3]), jnp.asarray([2]), { side: "right" })),
    ).toEqual([3]);
    expect(
      jnp
        .nonzero(
          jnp.asarray([
            [0, 1],
            [2, 0],
          ]),
        )
        .map(list),
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it("nonzero needs a static size under jit (padding with 0 or fillValue)", () => {
    const a = jnp.asarray([0, 5, 0, 7]);
    expect(jit((v: Array) => jnp.nonzero(v, { size: 3 }))(a).map(list)).toEqual([[1, 3, 0]]);
    expect(jit((v: Array) => jnp.nonzero(v, { size: 3, fillValue: -1 }))(a).map(list)).toEqual([
      [1, 3, -1],
    ]);
    expect(() => jit((v: Array) => jnp.nonzero(v))(a)).toThrow(
      /size argument of jnp.nonzero must be statically specified/,
    );
  });
});

describe("cumsum, cumprod", () => {
  it("match numpy", () => {
    close(jnp.cumsum(r, 1), [
      [
        0.1257302165031433, -0.006374642252922058, 0.6340479850769043, 0.7389481067657471,
        0.20327872037887573,
      ],
      [
        0.3615950644016266, 1.6655950546264648, 2.6126761436462402, 1.9089409112930298,
        0.643519401550293,
      ],
      [
        -0.6232744455337524, -0.581948459148407, -2.9069793224334717, -3.1257710456848145,
        -4.371682167053223,
      ],
    ]);
    close(jnp.cumprod(r, 0), [
      [
        0.1257302165031433, -0.13210485875606537, 0.6404226422309875, 0.10490011423826218,
        -0.5356693863868713,
      ],
      [
        0.04546342417597771, -0.17226473987102509, 0.606532096862793, -0.07382190972566605,
        0.6778475642204285,
      ],
      [
        -0.028336189687252045, -0.007119008805602789, -1.4102058410644531, 0.01615161821246147,
        -0.8445377349853516,
      ],
    ]);
    const b = jnp.cumsum(jnp.asarray([true, true, false]));
    expect(b.dtype.name).toBe("int32");
    expect(list(b)).toEqual([1, 2, 2]);
    expect(
      list(
        jnp.cumsum(
          jnp.asarray([
            [1, 2],
            [3, 4],
          ]),
        ),
      ),
    ).toEqual([1, 3, 6, 10]);
    expect(list(jnp.cumulativeSum(jnp.asarray([1, 2, 3]), { includeInitial: true }))).toEqual([
      0, 1, 3, 6,
    ]);
  });
});

describe("take, take_along_axis", () => {
  const x = jnp.asarray(
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    "float32",
  );
  it("follow JAX's out-of-bounds modes", () => {
    expect(list(jnp.take(x, jnp.asarray([2, 0])))).toEqual([3, 1]);
    expect(list(jnp.take(x, jnp.asarray([2, 0]), 1))).toEqual([
      [3, 1],
      [6, 4],
    ]);
    const filled = list(jnp.take(x, jnp.asarray([2, 0]), 0)) as number[][];
    expect(filled[0]!.every(Number.isNaN)).toBe(true);
    expect(filled[1]).toEqual([1, 2, 3]);
    expect(list(jnp.take(x, jnp.asarray([2, 0]), 0, { mode: "clip" }))).toEqual([
      [4, 5, 6],
      [1, 2, 3],
    ]);
    expect(list(jnp.take(x, jnp.asarray([-1, 3]), 1, { mode: "wrap" }))).toEqual([
      [3, 1],
      [6, 4],
    ]);
    expect(
      list(
        jnp.takeAlongAxis(
          x,
          jnp.asarray([
            [0, 2],
            [1, 0],
          ]),
          1,
        ),
      ),
    ).toEqual([
      [1, 3],
      [5, 4],
    ]);
    const s = jnp.asarray([
      [5, 3, 4],
      [2, 7, 6],
    ]);
    expect(list(jnp.takeAlongAxis(s, jnp.argsort(s, { axis: 1 }), 1))).toEqual([
      [3, 4, 5],
      [2, 6, 7],
    ]);
    expect(list(jnp.takeAlongAxis(s, jnp.asarray([[1]]), 0))).toEqual([[2, 7, 6]]);
    expect(() => jnp.take(x, jnp.asarray([0.5]))).toThrow(
      "take indices must be of integer type, got float32",
    );
  });
});

describe("split, array_split, tile, repeat, roll", () => {
  it("match numpy", () => {
    expect(jnp.split(jnp.arange(6), 3).map(list)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(jnp.split(jnp.arange(6), [1, 4]).map(list)).toEqual([[0], [1, 2, 3], [4, 5]]);
    expect(() => jnp.split(jnp.arange(7), 3)).toThrow(
      "array split does not result in an equal division",
    );
    expect(jnp.arraySplit(jnp.arange(7), 3).map(list)).toEqual([
      [0, 1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(list(jnp.tile(jnp.asarray([1, 2]), [2, 2]))).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(list(jnp.tile(jnp.asarray([[1], [2]]), 3))).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(
      list(
        jnp.repeat(
          jnp.asarray([
            [1, 2],
            [3, 4],
          ]),
          2,
        ),
      ),
    ).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(
      list(
        jnp.repeat(
          jnp.asarray([
            [1, 2],
            [3, 4],
          ]),
          [1, 2],
          0,
        ),
      ),
    ).toEqual([
      [1, 2],
      [3, 4],
      [3, 4],
    ]);
    expect(list(jnp.roll(jnp.arange(5), 2))).toEqual([3, 4, 0, 1, 2]);
    expect(list(jnp.roll(jnp.arange(6).reshape(2, 3), [1, -1], [0, 1]))).toEqual([
      [4, 5, 3],
      [1, 2, 0],
    ]);
    expect(
      list(jit((a: Array, s: Array) => jnp.roll(a, s, 0))(jnp.arange(5), jnp.asarray(-1))),
    ).toEqual([1, 2, 3, 4, 0]);
  });
});

describe("einsum, diagonal, trace, tril, triu", () => {
  it("match numpy", () => {
    close(
      jnp.einsum("ij,kj->ik", r, r),
      [
        [0.7413466572761536, 1.083756446838379, -0.9283810257911682],
        [1.083756446838379, 4.82466459274292, -0.6429023742675781],
        [-0.9283810257911682, -0.6429023742675781, 7.396111011505127],
      ],
      1e-5,
    );
    const a = jnp.arange(6).reshape(2, 3).astype("float32");
    const b = jnp.arange(12).reshape(3, 4).astype("float32");
    expect(list(jnp.einsum("ij,jk", a, b))).toEqual(list(jnp.matmul(a, b)));
    expect(list(jnp.einsum("ij->ji", a))).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(list(jnp.einsum("ij->", a))).toEqual(15);
    expect(list(jnp.einsum("i,j->ij", jnp.asarray([1, 2]), jnp.asarray([3, 4, 5])))).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(jnp.einsum("bij,bjk->bik", jnp.ones([2, 2, 3]), jnp.ones([2, 3, 4])).shape).toEqual([
      2, 2, 4,
    ]);
    expect(list(jnp.einsum("ij,jk,k->i", a, b, jnp.ones([4])))).toEqual([98, 296]);
    expect(() => jnp.einsum("ii->i", jnp.ones([2, 2]))).toThrow(
      /repeated index within one operand/,
    );
    expect(() => jnp.einsum("...i->i", jnp.ones([2, 2]))).toThrow(/ellipsis/);
    close(jnp.trace(r, 1), [0.59618443], 1e-6);
    close(jnp.diagonal(r, -1), [0.3615950644016266, 0.04132597893476486]);
    expect(list(jnp.diagonal(jnp.arange(8).reshape(2, 2, 2), 0, 1, 2))).toEqual([
      [0, 3],
      [4, 7],
    ]);
    expect(list(jnp.tril(jnp.ones([3, 3], "int32")))).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expect(list(jnp.triu(jnp.ones([2, 3], "int32"), 1))).toEqual([
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });
});
