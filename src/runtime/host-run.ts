/**
 * The host interpreter: how a program holding host callbacks (debug_callback, pure_callback,
 * io_callback — directly or inside scan/while/cond bodies and calls) runs, on every device.
 * The program is split at its callbacks: each maximal stretch of callback-free equations is
 * compiled into one fused executable (as jit compiles a whole program), and the interpreter
 * runs the stretches in order on the calling thread, calling each callback with the concrete
 * values of its operands in between (on the wasm device, reading a value waits for the
 * workers and copies it back to this thread). Loops and branches that contain callbacks are
 * driven from here: a while's condition is read back each iteration, a scan's slices are cut
 * and its stacked outputs assembled, a cond's index is read. The split is planned once per
 * jaxpr object and device.
 */
import type { ShapedArray } from "../core/aval.js";
import { NotImplementedError } from "../core/errors.js";
import type { Device, DeviceBuffer } from "../backend/device.js";
import { eqnNeedsHost } from "../ir/effects.js";
import { type Atom, type ClosedJaxpr, type Eqn, Jaxpr, Literal, Var } from "../ir/jaxpr.js";
import type { BufferInfo, Program } from "../kernel/kernel.js";
import { callJaxprOf } from "../lower/lower.js";
import type { Array } from "../trace/array.js";
import type { Primitive } from "../trace/primitive.js";
import { type Value, evalPrimitive } from "../trace/trace.js";
import type { HostCallback } from "../primitives/callback.js";
import { concatenateP } from "../primitives/shape/concatenate.js";
import { reshapeP } from "../primitives/shape/reshape.js";
import { sliceP } from "../primitives/shape/slice-pad.js";
import { ArrayImpl, scalarArray } from "./array.js";
import { type Compiled, compileProgram } from "./device-code.js";
import { runCompiled } from "./run.js";

type Step =
  | {
      readonly kind: "segment";
      readonly compiled: Compiled;
      readonly ins: readonly Atom[];
      readonly outs: readonly Var[];
    }
  | { readonly kind: "host"; readonly eqn: Eqn };

const plans = new WeakMap<Jaxpr, Map<Device, Step[]>>();

/** Split `j`'s equations into compiled callback-free stretches and host equations. */
function planOf(j: Jaxpr, device: Device): Step[] {
  let byDevice = plans.get(j);
  if (!byDevice) plans.set(j, (byDevice = new Map()));
  let steps = byDevice.get(device);
  if (steps) return steps;
  steps = [];
  // Vars read after each equation index (by later equations or the outputs).
  const lastUse = new Map<Var, number>();
  j.eqns.forEach((e, i) => e.inputs.forEach((a) => a instanceof Var && lastUse.set(a, i)));
  for (const o of j.outvars) if (o instanceof Var) lastUse.set(o, j.eqns.length);
  let run: Eqn[] = [];
  const flush = (end: number) => {
    if (!run.length) return;
    const defined = new Set(run.flatMap((e) => e.outputs));
    const ins: Var[] = [];
    for (const e of run)
      for (const a of e.inputs)
        if (a instanceof Var && !defined.has(a) && !ins.includes(a)) ins.push(a);
    const outs = [...defined].filter((v) => (lastUse.get(v) ?? -1) >= end);
    const seg = new Jaxpr([], ins, outs, run);
    steps!.push({ kind: "segment", compiled: compileProgram(seg, device), ins, outs });
    run = [];
  };
  j.eqns.forEach((e, i) => {
    if (eqnNeedsHost(e)) {
      flush(i);
      steps!.push({ kind: "host", eqn: e });
    } else run.push(e);
  });
  flush(j.eqns.length);
  byDevice.set(device, steps);
  return steps;
}

const concrete = (v: Value, aval: ShapedArray): ArrayImpl =>
  v instanceof ArrayImpl ? v : scalarArray(v as number | boolean | bigint, aval);

/** Run `j` (inputs: constvars then invars) on `device` through its plan. */
export function runOnHost(j: Jaxpr, inputs: readonly Value[], device: Device): Value[] {
  const env = new Map<Var, Value>();
  [...j.constvars, ...j.invars].forEach((v, i) => env.set(v, inputs[i]!));
  const read = (a: Atom): Value => (a instanceof Literal ? (a.value as Value) : env.get(a)!);
  for (const step of planOf(j, device)) {
    if (step.kind === "segment") {
      const args = step.ins.map(read);
      const outs = runCompiled(step.compiled, {
        args,
        inAvals: step.ins.map((a) => a.aval),
        outAvals: step.outs.map((v) => v.aval),
      });
      step.outs.forEach((v, i) => env.set(v, outs[i]!));
    } else {
      const e = step.eqn;
      const args = e.inputs.map((a) => concrete(read(a), a.aval));
      const outs = runHostEqn(e.primitive as Primitive, e.params, args, device);
      e.outputs.forEach((v, i) => env.set(v, outs[i]!));
    }
  }
  return j.outvars.map(read);
}

const runClosed = (c: ClosedJaxpr, args: readonly Value[], device: Device) =>
  runOnHost(c.jaxpr, [...(c.consts as Value[]), ...args], device);

/** One equation that needs the host: a callback, or a call/loop/branch containing one. */
function runHostEqn(
  prim: Primitive,
  params: Readonly<Record<string, unknown>>,
  args: ArrayImpl[],
  device: Device,
): Value[] {
  if (params.callback !== undefined && prim.name.endsWith("callback")) {
    // Results made on another device (a callback may build arrays anywhere) move to this one.
    const resultAvals = (params.result_avals ?? []) as readonly ShapedArray[];
    return (params.callback as HostCallback).call(args as Array[], resultAvals).map((r) => {
      const a = r as ArrayImpl;
      const b = a.buffer;
      return b.device === device
        ? a
        : new ArrayImpl(a.aval, device.fromHost(b.device.toHost(b), a.dtype));
    });
  }
  const callee = callJaxprOf(prim, params);
  if (callee) return runOnHost(callee, args, device);
  switch (prim.name) {
    case "while": {
      const { cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts } = params as {
        cond_jaxpr: ClosedJaxpr;
        body_jaxpr: ClosedJaxpr;
        cond_nconsts: number;
        body_nconsts: number;
      };
      const cc = args.slice(0, cond_nconsts);
      const bc = args.slice(cond_nconsts, cond_nconsts + body_nconsts);
      let carry: Value[] = args.slice(cond_nconsts + body_nconsts);
      for (;;) {
        const [p] = runClosed(cond_jaxpr, [...cc, ...carry], device);
        if (!concrete(p!, cond_jaxpr.outAvals[0]!).item()) return carry;
        carry = runClosed(body_jaxpr, [...bc, ...carry], device);
      }
    }
    case "cond": {
      const branches = params.branches as readonly ClosedJaxpr[];
      const i = Number(args[0]!.item());
      const k = Math.min(Math.max(i, 0), branches.length - 1);
      return runClosed(branches[k]!, args.slice(1), device);
    }
    case "scan":
      return runScan(params, args, device);
  }
  throw new NotImplementedError(
    `${prim.name} with a host callback inside it cannot run yet: the host interpreter drives ` +
      `calls, while, scan and cond around callbacks.`,
  );
}

function runScan(params: Readonly<Record<string, unknown>>, args: ArrayImpl[], device: Device) {
  const { jaxpr, num_consts, num_carry, length, reverse } = params as {
    jaxpr: ClosedJaxpr;
    num_consts: number;
    num_carry: number;
    length: number;
    reverse: boolean;
  };
  const consts = args.slice(0, num_consts);
  let carry: Value[] = args.slice(num_consts, num_consts + num_carry);
  const xs = args.slice(num_consts + num_carry);
  const ysAvals = jaxpr.outAvals.slice(num_carry);
  const ys: Value[][] = ysAvals.map(() => []);
  for (let t = 0; t < length; t++) {
    const i = reverse ? length - 1 - t : t;
    const xi = xs.map((x) => {
      const start = x.shape.map((_, d) => (d === 0 ? i : 0));
      const limit = x.shape.map((s, d) => (d === 0 ? i + 1 : s));
      const sl = evalPrimitive(sliceP, [x], {
        start_indices: start,
        limit_indices: limit,
        strides: null,
      })[0]!;
      return evalPrimitive(reshapeP, [sl], { new_sizes: x.shape.slice(1), dimensions: null })[0]!;
    });
    const outs = runClosed(jaxpr, [...consts, ...carry, ...xi], device);
    carry = outs.slice(0, num_carry);
    outs.slice(num_carry).forEach((y, k) => ys[k]!.push(y));
  }
  const stacked = ysAvals.map((a, k) => {
    const rows = ys[k]!.map(
      (y) =>
        evalPrimitive(reshapeP, [concrete(y, a)], {
          new_sizes: [1, ...a.shape],
          dimensions: null,
        })[0]!,
    );
    if (reverse) rows.reverse();
    if (rows.length === 0) {
      const shape = [0, ...a.shape];
      return new ArrayImpl(a.update({ shape }), device.fromHost(new a.dtype.storage(0), a.dtype));
    }
    return rows.length === 1 ? rows[0]! : evalPrimitive(concatenateP, rows, { dimension: 0 })[0]!;
  });
  return [...carry, ...stacked];
}

/** The program a host-run Compiled shows the stages: its inputs and outputs, no kernels. */
function ioProgram(j: Jaxpr): Program {
  const buffers: BufferInfo[] = [];
  const add = (a: ShapedArray, kind: BufferInfo["kind"]) => {
    buffers.push({ id: buffers.length, dtype: a.dtype, size: a.size, kind });
    return buffers.length - 1;
  };
  const inputs = [...j.constvars, ...j.invars].map((v) => add(v.aval, "input"));
  const outputs = j.outvars.map((o) => ({
    kind: "buffer" as const,
    buffer: add(o.aval, "output"),
  }));
  return { buffers, kernels: [], inputs, outputs };
}

/**
 * A Compiled for a jaxpr with callbacks: `host` runs it through the interpreter (run.ts takes
 * that road); the executable describes the split.
 */
export function hostCompiled(jaxpr: Jaxpr, device: Device): Compiled {
  const host = (consts: readonly DeviceBuffer[], args: readonly Value[]): ArrayImpl[] => {
    const all = [...jaxpr.constvars, ...jaxpr.invars];
    const inputs: Value[] = [...consts.map((b, i) => new ArrayImpl(all[i]!.aval, b)), ...args];
    const outs = runOnHost(jaxpr, inputs, device);
    return outs.map((v, i) => {
      const aval = jaxpr.outvars[i]!.aval;
      if (v instanceof ArrayImpl && !inputs.includes(v) && v.aval.equals(aval)) return v;
      return v instanceof ArrayImpl
        ? new ArrayImpl(aval, v.buffer)
        : scalarArray(v as number, aval);
    });
  };
  const executable = {
    run(): DeviceBuffer[] {
      throw new Error("a program with host callbacks runs through runCompiled's host road");
    },
    get source(): string {
      return planOf(jaxpr, device)
        .map((s, i) =>
          s.kind === "segment"
            ? `# step ${i}: compiled segment (${s.compiled.program.kernels.length} kernel(s))\n${s.compiled.executable.source}`
            : `# step ${i}: on the host: ${s.eqn.primitive.name}`,
        )
        .join("\n");
    },
  };
  return { jaxpr, program: ioProgram(jaxpr), executable, device, host };
}
