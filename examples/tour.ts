/**
 * The JAX JIT tutorial (../shared/seed/jax-jit-tutorial.txt), cell by cell, in TypeScript.
 * Each cell prints its code, then its output. Run with `npm run tour`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type Array,
  type ArrayLike,
  ConcretizationTypeError,
  float,
  jit,
  makeJaxpr,
  numpy as jnp,
  partial,
} from "../src/index.js";
import { time, timeit } from "./ipython.js";

// ---------------------------------------------------------------- cell printing

const source = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n");

/** Print a notebook cell's code (its body in this file), then run it. */
function cell(label: string, body: () => void): void {
  const start = source.findIndex((l) => l.trimStart().startsWith(`cell("${label}"`));
  const indent = source[start]!.length - source[start]!.trimStart().length;
  const end = source.findIndex((l, i) => i > start && l === `${" ".repeat(indent)}});`);
  const code = source.slice(start + 1, end).map((l) => l.slice(indent + 2));
  console.log(`\n${label}:`);
  for (const l of code) console.log(`  ${l}`);
  console.log("");
  try {
    body();
  } catch (e) {
    const err = e as Error;
    const kind =
      err instanceof ConcretizationTypeError && err.name !== "ConcretizationTypeError"
        ? " (a ConcretizationTypeError)"
        : "";
    console.log(`${err.name}${kind}: ${err.message}`);
  }
}

function markdown(text: string): void {
  console.log(`\n${text}`);
}

// ---------------------------------------------------------------- the notebook

markdown("# Jaxprs (JAX Expressions)");

// The notebook's functions live at module level, as in the notebook.
const relu = (x: ArrayLike) => jnp.maximum(0.0, x);

cell("In [5]", () => {
  // JS cannot tell 5.0 from 5; float(5.0) is what Python's 5.0 means (a weakly typed float).
  console.log(makeJaxpr(relu)(float(5.0)).toString());
});

markdown("Side effects are not captured by jaxprs: they run while tracing.");

const inputList: unknown[] = [];
function sigmoid(x: Array): Array {
  inputList.push(x);
  return jnp.divide(1, jnp.exp(x.neg()).add(1));
}

cell("In [7]", () => {
  console.log(makeJaxpr(sigmoid)(float(5.0)).toString());
});

function sigmoidWithPrint(x: Array): Array {
  console.log(`Executing sigmoid activation on : ${x}`);
  return jnp.divide(1, jnp.exp(x.neg()).add(1));
}

cell("In [8]", () => {
  console.log(makeJaxpr(sigmoidWithPrint)(float(5.0)).toString());
});

markdown("# JIT compiling a function");

const sigmoidJit = jit(sigmoidWithPrint);

cell("In [14]", () => {
  [0, 2, 4, 8].forEach((num, i) => {
    console.log("Iteration: ", i + 1);
    time(() =>
      console.log("Output: ", String(sigmoidJit(num as unknown as Array).blockUntilReady())),
    );
    console.log("*".repeat(30));
  });
});

markdown("Here the code sends one operation at a time to the device (eager, op by op):");

{
  // (a block, so this notebook-global `x` does not shadow the parameters of later cells)
  let x: Array;

  cell("In [15]", () => {
    x = jnp.arange(10000000);
    timeit(() => sigmoidWithPrint(x).blockUntilReady());
  });

  markdown(
    "The jitted version: traced once for this new signature, then one fused kernel per call.",
  );

  cell("In [16]", () => {
    timeit(() => sigmoidJit(x).blockUntilReady());
  });

  cell("In [17]", () => {
    x = jnp.arange(10000000);
    for (let i = 0; i < 5; i++) {
      console.log("Iteration :", i + 1);
      timeit(() => sigmoidJit(x).blockUntilReady());
    }
  });
}

markdown("# JIT and control flow\n\nControl flow cannot depend on traced values:");

cell("In [28]", () => {
  function f(x: ArrayLike): Array {
    if ((x as unknown as number) > 0) {
      const a = jnp.asarray(x);
      return a.pow(3).mul(3).add(a.pow(2).mul(2)).add(a.mul(5));
    }
    return jnp.multiply(2, x);
  }
  const jittedFn = jit(f);
  jittedFn(10);
});

markdown("Jitting only the expensive part:");

const expFun = jit(function expFun(x: Array): Array {
  return x.pow(3).mul(3).add(x.pow(2).mul(2)).add(x.mul(5));
});

function fInnerJitted(x: number): Array {
  if (x > 0) return expFun(x as unknown as Array);
  return jnp.multiply(2, x);
}

cell("In [27]", () => {
  console.log(String(fInnerJitted(10)));
});

markdown("Static arguments: compile once per value of a static argument.");

function f(x: ArrayLike, n: number): Array {
  console.log(`x = ${x}, n = ${n}`);
  if (n >= 0) {
    const a = jnp.asarray(x);
    return a
      .pow(3)
      .mul(n)
      .add(a.pow(2).mul(n - 1))
      .add(a.mul(n - 2));
  }
  return jnp.multiply(2, x);
}

cell("In [30]", () => {
  const jittedFn = jit(f);
  jittedFn(10, 5);
});

cell("In [31]", () => {
  const fJitWrong = jit(f, { staticArgnums: 0 });
  console.log(String(fJitWrong(10, 5)));
});

const fJitCorrect = jit(f, { staticArgnames: ["n"] });

cell("In [32]", () => {
  console.log(String(fJitCorrect(10, 5)));
});

cell("In [33]", () => {
  console.log(String(fJitCorrect(100, 5)));
});

cell("In [34]", () => {
  console.log(String(fJitCorrect(10, 3)));
});

cell("In [35]", () => {
  console.log(String(fJitCorrect(100, 3)));
});

markdown("The decorator pattern with functools.partial:");

cell("In [37]", () => {
  const fJitDecorated = partial(jit, { staticArgnames: ["n"] })(function fJitDecorated(
    x: ArrayLike,
    n: number,
  ) {
    console.log(`x = ${x}, n = ${n}`);
    if (n >= 0) {
      const a = jnp.asarray(x);
      return a
        .pow(3)
        .mul(n)
        .add(a.pow(2).mul(n - 1))
        .add(a.mul(n - 2));
    }
    return jnp.multiply(2, x);
  });
  console.log(String(fJitDecorated(10, 5)));
});

markdown(
  "jit has a cost of its own; it pays off for large computations called many times.\n" +
    "Both lines below time a call whose result is ready (the jitted one: cached dispatch of a\n" +
    "compiled scalar program; the plain one: the same jnp operations dispatched one by one).",
);

function fQuiet(x: ArrayLike, n: number): Array {
  if (n >= 0) {
    const a = jnp.asarray(x);
    return a
      .pow(3)
      .mul(n)
      .add(a.pow(2).mul(n - 1))
      .add(a.mul(n - 2));
  }
  return jnp.multiply(2, x);
}

cell("In [39]", () => {
  const fJitCorrect = jit(fQuiet, { staticArgnames: ["n"] });
  console.log("f jitted:");
  timeit(() => fJitCorrect(10, 5).blockUntilReady());
  console.log("f:");
  timeit(() => fQuiet(10, 5));
});

markdown(
  "# Caching\n\nA jit of a fresh closure misses the cache every call; a jit of a named function hits it.",
);

function unjittedExpFun(x: Array): Array {
  return x.pow(3).mul(3).add(x.pow(2).mul(2)).add(x.mul(5));
}

function fInnerJittedLambda(x: number): Array {
  if (x > 0) return jit((x: Array) => unjittedExpFun(x))(x as unknown as Array);
  return jnp.multiply(2, x);
}

function fInnerJittedNormal(x: number): Array {
  if (x > 0) return jit(unjittedExpFun)(x as unknown as Array);
  return jnp.multiply(2, x);
}

cell("In [45]", () => {
  timeit(() => fInnerJittedLambda(10).blockUntilReady());
});

cell("In [46]", () => {
  timeit(() => fInnerJittedNormal(10).blockUntilReady());
});
