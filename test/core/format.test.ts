import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { formatArray, formatScalar, reprArray } from "../../src/core/format.js";
import { float16Bits, float16FromBits, roundToFloat16 } from "../../src/core/float16.js";
import { formatPositional, formatScientific } from "../../src/core/format-float.js";

// Expected strings below were produced by numpy (str / array2string with default
// print options, numpy <= 2.2 float rules) and by JAX 0.4.x's Array.__repr__.

type Values = ArrayLike<number | bigint | boolean>;

function arange(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

describe("formatScalar", () => {
  it.each([
    [0.8807971, "0.8807971"],
    [0.98201376, "0.98201376"],
    [0.5, "0.5"],
    [1.0, "1.0"],
    [0.1, "0.1"],
    [1e-5, "1e-05"],
    [1e16, "1e+16"],
    [123456790.0, "123456790.0"],
    [1e10, "10000000000.0"],
    [-0.0, "-0.0"],
    [NaN, "nan"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [1.5e20, "1.5e+20"],
    [1e-4, "1e-04"], // float32(1e-4) is just below 1e-4
    [9.999e-5, "9.999e-05"],
    [1.2345e-7, "1.2345e-07"],
    [99999992, "99999990.0"], // shortest unique digits, not the exact value
    [3.4028235e38, "3.4028235e+38"],
    [1e-45, "1e-45"],
    [1 / 3, "0.33333334"],
  ])("float32 %s -> %s", (x, expected) => {
    expect(formatScalar(x, "float32")).toBe(expected);
  });

  it.each([
    [0.1, "0.1"],
    [1e-4, "0.0001"],
    [1e-5, "1e-05"],
    [123456790.0, "123456790.0"],
    [9999999999999998, "9999999999999998.0"],
    [1e16, "1e+16"],
    [1e22, "1e+22"],
    [1e23, "1e+23"],
    [1 / 3, "0.3333333333333333"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [-2.5e-5, "-2.5e-05"],
  ])("float64 %s -> %s", (x, expected) => {
    expect(formatScalar(x, "float64")).toBe(expected);
  });

  it.each([
    [0.8807971, "0.881"],
    [1 / 3, "0.3333"],
    [65504, "65500.0"],
    [65520, "inf"], // rounds up past the largest finite float16
    [1e-4, "0.0001"],
    [1e-8, "0.0"], // underflows to zero
    [6e-8, "6e-08"],
    [2 ** -24, "6e-08"],
    [2 ** -14, "6.104e-05"],
    [1000, "1000.0"],
    [0.1, "0.1"],
  ])("float16 %s -> %s", (x, expected) => {
    expect(formatScalar(x, "float16")).toBe(expected);
  });

  it("formats integers and booleans", () => {
    expect(formatScalar(3250, "int32")).toBe("3250");
    expect(formatScalar(-7, "int8")).toBe("-7");
    expect(formatScalar(9223372036854775807n, "int64")).toBe("9223372036854775807");
    expect(formatScalar(-9223372036854775808n, "int64")).toBe("-9223372036854775808");
    expect(formatScalar(18446744073709551615n, "uint64")).toBe("18446744073709551615");
    expect(formatScalar(2, "int32")).toBe("2");
    expect(formatScalar(true, "bool")).toBe("True");
    expect(formatScalar(0, "bool")).toBe("False");
    expect(formatScalar(1, "bool")).toBe("True");
  });

  it("float64 output round-trips and matches JS shortest digits", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = formatScalar(x, "float64");
        expect(Object.is(Number(s), x)).toBe(true);
        const digits = (t: string) =>
          t
            .replace(/^-/, "")
            .replace(/e.*$/, "")
            .replace(".", "")
            .replace(/^0+/, "")
            .replace(/0+$/, "");
        expect(digits(s)).toBe(digits(String(x)));
      }),
    );
  });

  it("float32 output round-trips through Math.fround", () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(Math.fround(Number(formatScalar(x, "float32"))), x)).toBe(true);
      }),
    );
  });

  it("float16 output round-trips through float16 rounding", () => {
    for (let bits = 0; bits < 0x7c00; bits += 7) {
      const x = float16FromBits(bits);
      expect(roundToFloat16(Number(formatScalar(x, "float16")))).toBe(x);
    }
  });
});

describe("float16 conversion", () => {
  it("rounds to nearest, ties to even", () => {
    expect(roundToFloat16(1 + 2 ** -11)).toBe(1); // tie -> even (1.0)
    expect(roundToFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9); // tie -> even
    expect(roundToFloat16(1 + 2 ** -11 + 2 ** -20)).toBe(1 + 2 ** -10);
    expect(roundToFloat16(65519)).toBe(65504);
    expect(roundToFloat16(65520)).toBe(Infinity);
    expect(roundToFloat16(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal
    expect(roundToFloat16(3 * 2 ** -26)).toBe(2 ** -24);
    expect(roundToFloat16(2 ** -14 - 2 ** -26)).toBe(2 ** -14); // rounds into the normal range
    expect(Object.is(roundToFloat16(-0), -0)).toBe(true);
    expect(roundToFloat16(NaN)).toBeNaN();
  });

  it("round-trips every bit pattern", () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const x = float16FromBits(bits);
      if (Number.isNaN(x)) continue;
      expect(float16Bits(x)).toBe(bits);
    }
  });
});

describe("positional / scientific primitives", () => {
  it("supports numpy's trim and padding modes", () => {
    const pos = { precision: -1, minDigits: -1, padLeft: -1, padRight: -1 };
    expect(formatPositional(1, "float64", { ...pos, trim: "k" })).toBe("1.");
    expect(formatPositional(1, "float64", { ...pos, trim: "." })).toBe("1.");
    expect(formatPositional(1, "float64", { ...pos, trim: "0" })).toBe("1.0");
    expect(formatPositional(1, "float64", { ...pos, trim: "-" })).toBe("1");
    expect(formatPositional(0.5, "float32", { ...pos, trim: ".", padLeft: 3, padRight: 4 })).toBe(
      "  0.5   ",
    );
    expect(formatPositional(Math.PI, "float64", { ...pos, precision: 3, trim: "." })).toBe("3.142");
    expect(formatPositional(5e-9, "float64", { ...pos, precision: 8, trim: "." })).toBe(
      "0.00000001",
    );
    const sci = { precision: -1, minDigits: -1, padLeft: -1, expDigits: -1 };
    expect(formatScientific(1.5e20, "float64", { ...sci, trim: "-" })).toBe("1.5e+20");
    expect(formatScientific(1e-5, "float32", { ...sci, trim: "." })).toBe("1.e-05");
    expect(
      formatScientific(1e-5, "float32", {
        ...sci,
        trim: "k",
        minDigits: 3,
        precision: 3,
        expDigits: 3,
      }),
    ).toBe("1.000e-005");
  });
});

describe("formatArray", () => {
  const cases: [string, Values, number[], string, string][] = [
    ["0-d float prints like the scalar", [0.5], [], "float32", "0.5"],
    ["0-d float 1.0", [1], [], "float32", "1.0"],
    ["0-d int", [7], [], "int32", "7"],
    ["0-d bool", [1], [], "bool", "True"],
    ["mixed signs", [1.5, -2, 3], [3], "float32", "[ 1.5 -2.   3. ]"],
    ["float padding", [0, 0.5, 0.7310586], [3], "float32", "[0.        0.5       0.7310586]"],
    ["sci for small", [1e-5, 1], [2], "float32", "[1.e-05 1.e+00]"],
    ["int 2-d", [1, 2, 3, 4], [2, 2], "int32", "[[1 2]\n [3 4]]"],
    ["float 2-d", [1, 2, 3, 4], [2, 2], "float32", "[[1. 2.]\n [3. 4.]]"],
    ["bool 1-d", [1, 0], [2], "bool", "[ True False]"],
    ["bool 2-d", [true, false], [2, 1], "bool", "[[ True]\n [False]]"],
    ["int widths with negatives", [-7, 3250, 12], [3], "int32", "[  -7 3250   12]"],
    ["negative zero", [-0, 0], [2], "float32", "[-0.  0.]"],
    ["negative zero float64", [-0, 1.5], [2], "float64", "[-0.   1.5]"],
    ["nan/inf mix", [NaN, 1, -Infinity], [3], "float32", "[ nan   1. -inf]"],
    ["only non-finite", [NaN, Infinity], [2], "float32", "[nan inf]"],
    ["nan and -inf", [NaN, -Infinity], [2], "float64", "[ nan -inf]"],
    ["nan in sci mode", [NaN, 1e-10], [2], "float64", "[   nan 1.e-10]"],
    ["sci for >= 1e8", [1e8, 1], [2], "float32", "[1.e+08 1.e+00]"],
    ["sci keeps needed digits", [9.9999e7, 1], [2], "float32", "[9.9999e+07 1.0000e+00]"],
    ["ratio exactly 1e3", [1, 1000], [2], "float32", "[   1. 1000.]"],
    ["ratio above 1e3", [1, 1001], [2], "float32", "[1.000e+00 1.001e+03]"],
    ["float32 1e-4 is not < 1e-4 in float32", [1e-4, 2e-4], [2], "float32", "[0.0001 0.0002]"],
    ["short decimals", [0.1, 0.2, 0.3], [3], "float64", "[0.1 0.2 0.3]"],
    ["float32 thirds", [1 / 3, 2 / 3], [2], "float32", "[0.33333334 0.6666667 ]"],
    ["float64 precision cutoff", [1 / 3, 2 / 3], [2], "float64", "[0.33333333 0.66666667]"],
    ["float16 thirds", [1 / 3, 2 / 3], [2], "float16", "[0.3333 0.6665]"],
    ["float16 max", [65504, 1], [2], "float16", "[6.55e+04 1.00e+00]"],
    ["float32 near 1e8", [99999992, 1], [2], "float32", "[9.999999e+07 1.000000e+00]"],
    ["rounding at 8 digits", [0.123456785, 1], [2], "float64", "[0.12345678 1.        ]"],
    ["wide exponent range", [1e16, 1e-20, 1], [3], "float64", "[1.e+16 1.e-20 1.e+00]"],
    ["3-digit exponents", [1e200, -1e-200], [2], "float64", "[ 1.e+200 -1.e-200]"],
    ["int8 range", [-128, 0, 127], [3], "int8", "[-128    0  127]"],
    ["uint8", new Uint8Array([0, 255]), [2], "uint8", "[  0 255]"],
    [
      "int64 range",
      new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]),
      [2],
      "int64",
      "[-9223372036854775808  9223372036854775807]",
    ],
    [
      "uint64 range",
      new BigUint64Array([0n, 2n ** 64n - 1n]),
      [2],
      "uint64",
      "[                   0 18446744073709551615]",
    ],
    ["empty", [], [0], "int32", "[]"],
    ["zero-size dim", [], [2, 0], "float32", "[]"],
    ["singleton 3-d", [1], [1, 1, 1], "float32", "[[[1.]]]"],
    [
      "3-d",
      arange(24),
      [2, 3, 4],
      "float32",
      "[[[ 0.  1.  2.  3.]\n  [ 4.  5.  6.  7.]\n  [ 8.  9. 10. 11.]]\n\n [[12. 13. 14. 15.]\n  [16. 17. 18. 19.]\n  [20. 21. 22. 23.]]]",
    ],
    [
      "sci 2-d",
      arange(12).map((i) => i * 1e9),
      [4, 3],
      "float32",
      "[[0.0e+00 1.0e+09 2.0e+09]\n [3.0e+09 4.0e+09 5.0e+09]\n [6.0e+09 7.0e+09 8.0e+09]\n [9.0e+09 1.0e+10 1.1e+10]]",
    ],
  ];
  it.each(cases)("%s", (_name, values, shape, dtype, expected) => {
    expect(formatArray(values, shape, dtype)).toBe(expected);
  });

  describe("line wrapping", () => {
    it("wraps a float row at 75 columns", () => {
      expect(formatArray(new Float32Array(arange(30)), [30], "float32")).toBe(
        "[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.\n" +
          " 18. 19. 20. 21. 22. 23. 24. 25. 26. 27. 28. 29.]",
      );
    });

    it("wraps an int row", () => {
      expect(formatArray(new Int32Array(arange(26)), [26], "int32")).toBe(
        "[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n 24 25]",
      );
    });

    it("wraps long float32 values with aligned padding", () => {
      const values = new Float32Array(arange(20).map((i) => -1 + (2 * i) / 19));
      expect(formatArray(values, [20], "float32")).toBe(
        "[-1.         -0.8947368  -0.7894737  -0.68421054 -0.57894737 -0.47368422\n" +
          " -0.36842105 -0.2631579  -0.15789473 -0.05263158  0.05263158  0.15789473\n" +
          "  0.2631579   0.36842105  0.47368422  0.57894737  0.68421054  0.7894737\n" +
          "  0.8947368   1.        ]",
      );
    });
  });

  describe("summarization", () => {
    it("1-d int32 arange(10_000_000), width from shown elements only", () => {
      const values = new Int32Array(10_000_000);
      for (let i = 0; i < values.length; i++) values[i] = i;
      expect(formatArray(values, [values.length], "int32")).toBe(
        "[      0       1       2 ... 9999997 9999998 9999999]",
      );
    });

    it("1-d float switches to sci based on shown elements", () => {
      expect(formatArray(new Float32Array(arange(2000)), [2000], "float32")).toBe(
        "[0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]",
      );
    });

    it("does not summarize at exactly the threshold", () => {
      const s = formatArray(new Int32Array(1000), [1000], "int32");
      expect(s).not.toContain("...");
      expect(s.split("\n")).toHaveLength(28);
    });

    it("1-d bool", () => {
      expect(formatArray(new Uint8Array(1200).fill(1), [1200], "bool")).toBe(
        "[ True  True  True ...  True  True  True]",
      );
    });

    it("2-d summarizes only the long axis", () => {
      expect(formatArray(new Int32Array(arange(1500)), [3, 500], "int32")).toBe(
        "[[   0    1    2 ...  497  498  499]\n [ 500  501  502 ...  997  998  999]\n [1000 1001 1002 ... 1497 1498 1499]]",
      );
    });

    it("2-d summarizes rows and columns", () => {
      const values = BigInt64Array.from(arange(20000), (i) => BigInt(i));
      expect(formatArray(values, [20, 1000], "int64")).toBe(
        "[[    0     1     2 ...   997   998   999]\n" +
          " [ 1000  1001  1002 ...  1997  1998  1999]\n" +
          " [ 2000  2001  2002 ...  2997  2998  2999]\n" +
          " ...\n" +
          " [17000 17001 17002 ... 17997 17998 17999]\n" +
          " [18000 18001 18002 ... 18997 18998 18999]\n" +
          " [19000 19001 19002 ... 19997 19998 19999]]",
      );
    });

    it("3-d inserts blank lines around the summary", () => {
      const s = formatArray(new Float64Array(arange(5000)), [10, 10, 50], "float64");
      const lines = s.split("\n");
      expect(lines.slice(0, 9)).toEqual([
        "[[[0.000e+00 1.000e+00 2.000e+00 ... 4.700e+01 4.800e+01 4.900e+01]",
        "  [5.000e+01 5.100e+01 5.200e+01 ... 9.700e+01 9.800e+01 9.900e+01]",
        "  [1.000e+02 1.010e+02 1.020e+02 ... 1.470e+02 1.480e+02 1.490e+02]",
        "  ...",
        "  [3.500e+02 3.510e+02 3.520e+02 ... 3.970e+02 3.980e+02 3.990e+02]",
        "  [4.000e+02 4.010e+02 4.020e+02 ... 4.470e+02 4.480e+02 4.490e+02]",
        "  [4.500e+02 4.510e+02 4.520e+02 ... 4.970e+02 4.980e+02 4.990e+02]]",
        "",
        " [[5.000e+02 5.010e+02 5.020e+02 ... 5.470e+02 5.480e+02 5.490e+02]",
      ]);
      expect(lines.slice(22, 26)).toEqual([
        "  [1.450e+03 1.451e+03 1.452e+03 ... 1.497e+03 1.498e+03 1.499e+03]]",
        "",
        " ...",
        "",
      ]);
      expect(lines.at(-1)).toBe(
        "  [4.950e+03 4.951e+03 4.952e+03 ... 4.997e+03 4.998e+03 4.999e+03]]]",
      );
      expect(lines).toHaveLength(49);
    });
  });
});

describe("reprArray", () => {
  const cases: [string, Values, number[], string, boolean, string][] = [
    ["1-d int", [1, 2, 3], [3], "int32", false, "Array([1, 2, 3], dtype=int32)"],
    ["0-d float", [0.5], [], "float32", false, "Array(0.5, dtype=float32)"],
    ["0-d weak", [1], [], "float32", true, "Array(1., dtype=float32, weak_type=True)"],
    ["0-d one", [1], [], "float32", false, "Array(1., dtype=float32)"],
    ["0-d negative zero", [-0], [], "float32", false, "Array(-0., dtype=float32)"],
    ["0-d small uses array rules", [1e-5], [], "float32", false, "Array(1.e-05, dtype=float32)"],
    ["0-d nan", [NaN], [], "float32", false, "Array(nan, dtype=float32)"],
    ["0-d bool", [true], [], "bool", false, "Array(True, dtype=bool)"],
    ["0-d weak int", [7], [], "int32", true, "Array(7, dtype=int32, weak_type=True)"],
    [
      "2-d aligned",
      [1, 2, 3, 4],
      [2, 2],
      "float32",
      false,
      "Array([[1., 2.],\n       [3., 4.]], dtype=float32)",
    ],
    ["empty", [], [0], "float32", false, "Array([], shape=(0,), dtype=float32)"],
    ["empty 2-d", [], [2, 0], "int32", false, "Array([], shape=(2, 0), dtype=int32)"],
    ["bool", [true, false], [2], "bool", false, "Array([ True, False], dtype=bool)"],
    [
      "nan/inf",
      [NaN, 1, -Infinity],
      [3],
      "float32",
      false,
      "Array([ nan,   1., -inf], dtype=float32)",
    ],
    [
      "wrapped floats",
      arange(30),
      [30],
      "float32",
      false,
      "Array([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12.,\n" +
        "       13., 14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25.,\n" +
        "       26., 27., 28., 29.], dtype=float32)",
    ],
    [
      "wrapped ints, weak",
      arange(25),
      [25],
      "int32",
      true,
      "Array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n" +
        "       17, 18, 19, 20, 21, 22, 23, 24], dtype=int32, weak_type=True)",
    ],
    [
      "3-d",
      arange(24),
      [2, 3, 4],
      "float32",
      false,
      "Array([[[ 0.,  1.,  2.,  3.],\n        [ 4.,  5.,  6.,  7.],\n        [ 8.,  9., 10., 11.]],\n\n" +
        "       [[12., 13., 14., 15.],\n        [16., 17., 18., 19.],\n        [20., 21., 22., 23.]]], dtype=float32)",
    ],
    [
      "dtype that does not fit is padded by six spaces on the same line",
      arange(9).map((i) => i / 8),
      [9],
      "float32",
      false,
      "Array([0.   , 0.125, 0.25 , 0.375, 0.5  , 0.625, 0.75 , 0.875, 1.   ],      dtype=float32)",
    ],
    [
      "six-space rule on a wrapped last line",
      arange(10).map((i) => Math.fround(i / 7)),
      [10],
      "float32",
      false,
      "Array([0.        , 0.14285715, 0.2857143 , 0.42857143, 0.5714286 ,\n" +
        "       0.71428573, 0.85714287, 1.        , 1.1428572 , 1.2857143 ],      dtype=float32)",
    ],
    [
      "int64 wrap",
      new BigInt64Array(5).fill(10n ** 11n),
      [5],
      "int64",
      true,
      "Array([100000000000, 100000000000, 100000000000, 100000000000,\n" +
        "       100000000000], dtype=int64, weak_type=True)",
    ],
    [
      "summarized 2-d",
      arange(2000),
      [2, 1000],
      "float32",
      true,
      "Array([[0.000e+00, 1.000e+00, 2.000e+00, ..., 9.970e+02, 9.980e+02,\n" +
        "        9.990e+02],\n" +
        "       [1.000e+03, 1.001e+03, 1.002e+03, ..., 1.997e+03, 1.998e+03,\n" +
        "        1.999e+03]], dtype=float32, weak_type=True)",
    ],
  ];
  it.each(cases)("%s", (_name, values, shape, dtype, weak, expected) => {
    expect(reprArray(values, shape, dtype, weak)).toBe(expected);
  });

  it("summarized 1-d int32", () => {
    const values = new Int32Array(10_000_000);
    for (let i = 0; i < values.length; i++) values[i] = i;
    expect(reprArray(values, [values.length], "int32", false)).toBe(
      "Array([      0,       1,       2, ..., 9999997, 9999998, 9999999], dtype=int32)",
    );
  });
});

describe("float0 (numpy's structured dtype [('float0', 'V')])", () => {
  // Expected strings: python3 + numpy, float0 = np.dtype([("float0", np.void, 0)]);
  // str(np.zeros(shape, float0)) and repr(...) (JAX hands float0 values out as numpy arrays).
  const zeros = (shape: number[]) => new Uint8Array(shape.reduce((a, b) => a * b, 1));
  const cases: [number[], string, string][] = [
    [[], "(b'',)", "array((b'',), dtype=[('float0', 'V')])"],
    [[0], "[]", "array([], dtype=[('float0', 'V')])"],
    [[2, 0], "[]", "array([], shape=(2, 0), dtype=[('float0', 'V')])"],
    [[2], "[(b'',) (b'',)]", "array([(b'',), (b'',)], dtype=[('float0', 'V')])"],
    [
      [13],
      "[(b'',) (b'',) (b'',) (b'',) (b'',) (b'',) (b'',) (b'',) (b'',) (b'',)\n (b'',) (b'',) (b'',)]",
      "array([(b'',), (b'',), (b'',), (b'',), (b'',), (b'',), (b'',), (b'',),\n" +
        "       (b'',), (b'',), (b'',), (b'',), (b'',)], dtype=[('float0', 'V')])",
    ],
    [
      [2, 2, 2],
      "[[[(b'',) (b'',)]\n  [(b'',) (b'',)]]\n\n [[(b'',) (b'',)]\n  [(b'',) (b'',)]]]",
      "array([[[(b'',), (b'',)],\n        [(b'',), (b'',)]],\n\n" +
        "       [[(b'',), (b'',)],\n        [(b'',), (b'',)]]], dtype=[('float0', 'V')])",
    ],
    [
      // numpy <= 2.1 (JAX 0.4.x era); numpy >= 2.2 also prints shape=(1001,) here.
      [1001],
      "[(b'',) (b'',) (b'',) ... (b'',) (b'',) (b'',)]",
      "array([(b'',), (b'',), (b'',), ..., (b'',), (b'',), (b'',)],\n" +
        "      dtype=[('float0', 'V')])",
    ],
  ];
  it.each(cases)("shape %j", (shape, str, repr) => {
    expect(formatArray(zeros(shape), shape, "float0")).toBe(str);
    expect(reprArray(zeros(shape), shape, "float0", false)).toBe(repr);
  });
  it("formatScalar", () => {
    expect(formatScalar(0, "float0")).toBe("(b'',)");
  });
});

describe("errors", () => {
  it("rejects unknown dtypes and short buffers", () => {
    expect(() => formatScalar(1, "complex256")).toThrow(/unsupported dtype/);
    expect(() => formatArray([1, 2], [3], "int32")).toThrow();
  });
});
