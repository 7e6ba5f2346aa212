/**
 * The JAX JIT tutorial (../shared/seed/jax-jit-tutorial.txt), cell by cell, in TypeScript.
 * Each cell prints its code, then its output; cells that only define something (the seed's
 * cells without output) print their code. Run with `npm run tour`.
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
} from "jaxts";
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

/**
 * A cell without output (definitions at module level, as in the notebook): print the code that
 * follows the `code("…")` line in this file, up to the next blank line.
 */
function code(label: string): void {
  const start = source.findIndex((l) => l.startsWith(`code("${label}")`));
  const end = source.findIndex((l, i) => i > start && l.trim() === "");
  console.log(`\n${label}:`);
  for (const l of source.slice(start + 1, end)) console.log(`  ${l}`);
}

function markdown(text: string): void {
  console.log(`\n${text}`);
}

// ---------------------------------------------------------------- the notebook

code("In [1]");
// import { jit, grad, random, numpy as jnp } from "jaxts"; (this file imports from ../src)

markdown("# Jaxprs (JAX Expressions)");

code("In [4]");
function relu(x: ArrayLike): Array {
  return jnp.maximum(0.0, x);
}

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

cell("In [8]", () => {
  function sigmoidWithPrint(x: Array): Array {
    console.log(`Executing sigmoid activation on : ${x}`);
    return sigmoid(x);
  }
  console.log(makeJaxpr(sigmoidWithPrint)(float(5.0)).toString());
});

markdown("# JIT compiling a function");

code("In [12]");
function sigmoidWithPrint(x: Array): Array {
  console.log(`Executing sigmoid activation on : ${x}`);
  return jnp.divide(1, jnp.exp(x.neg()).add(1));
}

code("In [13]");
const sigmoidJit = jit(sigmoidWithPrint);

markdown("Side effects of the jitted function are only visible in the first iteration (tracing).");

cell("In [14]", () => {
  [0, 2, 4, 8].forEach((num, i) => {
    console.log("Iteration: ", i + 1);
    time(
      () => console.log("Output: ", String(sigmoidJit(num).blockUntilReady())),
      i === 0
        ? `sigmoidJit(${num}) first call: trace + compile + run, result ready`
        : `sigmoidJit(${num}) cached call: run the compiled code, result ready`,
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
    timeit(
      () => sigmoidWithPrint(x).blockUntilReady(),
      "eager sigmoid of arange(1e7): 4 ops dispatched one by one, result ready",
    );
  });

  markdown(
    "The jitted version: traced once for this new signature, then one fused kernel per call.",
  );

  cell("In [16]", () => {
    timeit(
      () => sigmoidJit(x).blockUntilReady(),
      "jitted sigmoid of arange(1e7): one fused kernel (the first loop also traced), result ready",
    );
  });

  cell("In [17]", () => {
    x = jnp.arange(10000000);
    for (let i = 0; i < 5; i++) {
      console.log("Iteration :", i + 1);
      timeit(
        () => sigmoidJit(x).blockUntilReady(),
        "jitted sigmoid of arange(1e7), cached: one fused kernel, result ready",
      );
    }
  });
}

markdown("# JIT and control flow\n\nControl flow cannot depend on traced values:");

cell("In [28]", () => {
  function f(x: Array): Array {
    if ((x as unknown as number) > 0) {
      return x.pow(3).mul(3).add(x.pow(2).mul(2)).add(x.mul(5));
    }
    return x.mul(2);
  }
  const jittedFn = jit(f);
  jittedFn(10);
});

markdown(
  "Jitting only the expensive part. JS decorators apply to class members only, so the seed's\n" +
    "`@jit def exp_fun` is `@jit` on a static method (a function bound to its class):",
);

code("In [26]");
class Cell26 {
  @jit
  static expFun(x: ArrayLike): Array {
    const a = jnp.asarray(x);
    return a.pow(3).mul(3).add(a.pow(2).mul(2)).add(a.mul(5));
  }
}
const expFun = Cell26.expFun;

function fInnerJitted(x: number): Array {
  if (x > 0) return expFun(x);
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
    "JS has no operator overloading, so the jitted f is written with Array methods and the plain\n" +
    "f with JS number arithmetic — the seed's plain f(10, 5) computes on Python ints.",
);

cell("In [39]", () => {
  function f(x: Array, n: number): Array {
    if (n >= 0) {
      return x
        .pow(3)
        .mul(n)
        .add(x.pow(2).mul(n - 1))
        .add(x.mul(n - 2));
    }
    return x.mul(2);
  }
  function fPlain(x: number, n: number): number {
    if (n >= 0) return n * x ** 3 + (n - 1) * x ** 2 + (n - 2) * x;
    return 2 * x;
  }
  const fJitCorrect = jit(f, { staticArgnames: ["n"] });
  console.log("f jitted:");
  timeit(
    () => fJitCorrect(10, 5).blockUntilReady(),
    "jitted f(10, 5), cached: dispatch of the compiled scalar program, result ready",
  );
  console.log("f:");
  timeit(() => fPlain(10, 5), "plain f(10, 5) on JS numbers");
});

markdown(
  "# Caching\n\nA jit of a fresh closure misses the cache every call; a jit of a named function hits it.",
);

code("In [41]");
function unjittedExpFun(x: Array): Array {
  return x.pow(3).mul(3).add(x.pow(2).mul(2)).add(x.mul(5));
}

code("In [42]");
function fInnerJittedLambda(x: number): Array {
  if (x > 0) return jit((x: Array) => unjittedExpFun(x))(x);
  return jnp.multiply(2, x);
}

code("In [44]");
function fInnerJittedNormal(x: number): Array {
  if (x > 0) return jit(unjittedExpFun)(x);
  return jnp.multiply(2, x);
}

markdown("jit called in a loop with lambdas:");

cell("In [45]", () => {
  timeit(
    () => fInnerJittedLambda(10).blockUntilReady(),
    "fInnerJittedLambda(10): a fresh closure each call, so trace + compile + run every time",
  );
});

markdown("jit called in a loop with caching:");

cell("In [46]", () => {
  timeit(
    () => fInnerJittedNormal(10).blockUntilReady(),
    "fInnerJittedNormal(10): jit(unjittedExpFun) hits its cache, so only the compiled run",
  );
});
