/**
 * The worker thread's program, as plain JavaScript text: Node runs it with
 * `new Worker(src, { eval: true })`, browsers from a Blob URL. It imports nothing, by module or
 * by URL: the JS kernels' scalar helpers (`rt.*`) are part of the text (the generated
 * worker-helpers.generated.ts), so it works from sources, builds and any bundler's output alike.
 * Protocol: see queue.ts.
 *
 * Messages from the calling thread:
 *   { type: "init", memory, tid, epoch, ctrl, workers, layout }
 *   { type: "program", pid, module?, names[], js[], used[][], ctors[], sizes[], params }
 *   { type: "unload", pid }
 * A program message is always posted before the first task that uses it is submitted; a worker
 * that meets a task of a program it has not loaded yet receives pending messages synchronously
 * (Node: receiveMessageOnPort) or returns to its event loop until the program arrives (browsers).
 * Message to the calling thread: { type: "warning", message } when the helpers could not be set
 * up (the worker then runs only kernels that need none; the pool warns once, see pool.ts).
 */
import { constantsForWorker } from "./queue.js";
import { WORKER_HELPERS_GLOBAL, WORKER_HELPERS_SOURCE } from "./worker-helpers.generated.js";

/** The helpers' script wrapped as a function returning a plain object of them. */
function helpersFactory(helpersSource: string): string {
  return `function makeHelpers() {\n${helpersSource}\nreturn Object.assign({}, ${WORKER_HELPERS_GLOBAL});\n}`;
}

/**
 * The worker's program. `helpersSource` (tests only) replaces the helpers' script, e.g. with
 * one that throws, to check that a worker without helpers is reported.
 */
export function workerSource(helpersSource: string = WORKER_HELPERS_SOURCE): string {
  return `"use strict";
const C = ${JSON.stringify(constantsForWorker)};
${helpersFactory(helpersSource)}
const isNode = typeof process === "object" && process !== null && !!(process.versions && process.versions.node) && typeof require === "function";
let port = null, receiveSync = null, toParent = null;
if (isNode) {
  const wt = require("worker_threads");
  port = wt.parentPort;
  receiveSync = () => { const r = wt.receiveMessageOnPort(port); return r ? r.message : undefined; };
  port.on("message", handle);
  toParent = (m) => port.postMessage(m);
  process.on("exit", (code) => onDeath("exited with code " + code));
} else {
  self.onmessage = (e) => handle(e.data);
  toParent = (m) => self.postMessage(m);
}

let memory = null, I = null, H = 0, WST = 0, WSEQ = 0, WCH = 0, ctrlByte = 0, tid = 0, epoch = 0, rt = null;
const programs = new Map();
let curSlot = -1, curSeq = -1;

function handle(m) {
  if (m.type === "init") init(m);
  else if (m.type === "program") programs.set(m.pid, load(m));
  else if (m.type === "unload") programs.delete(m.pid);
}

function init(m) {
  memory = m.memory; tid = m.tid; epoch = m.epoch; ctrlByte = m.ctrl;
  I = new Int32Array(memory.buffer);
  H = m.ctrl >>> 2;
  const L = m.layout;
  const W = m.workers >>> 2;
  WST = W + L.status; WSEQ = W + L.wseq; WCH = W + L.wchunk;
  try {
    rt = makeHelpers();
  } catch (e) {
    rt = null;
    toParent({ type: "warning", message: "worker thread " + tid + " could not set up the JS kernels' helpers: " + (e && e.message ? e.message : String(e)) });
  }
  Atomics.store(I, WST + tid, rt ? C.W_READY_RT : C.W_READY);
  loop();
}

function importsFor(module) {
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === "memory") (imports[imp.module] = imports[imp.module] || {})[imp.name] = memory;
  }
  return imports;
}

function load(m) {
  const p = { fns: [], js: [], used: m.used, ctors: m.ctors.map((n) => globalThis[n]), sizes: m.sizes, params: m.params, error: null };
  try {
    if (m.module) {
      const inst = new WebAssembly.Instance(m.module, importsFor(m.module));
      p.fns = m.names.map((n) => (n == null ? null : inst.exports[n]));
    }
    p.js = m.js.map((src) => (src == null ? null : new Function("b", "rt", "P", "begin", "end", src)));
  } catch (e) {
    p.error = "could not load the program on worker thread " + tid + ": " + (e && e.message ? e.message : String(e));
  }
  return p;
}

let M32 = null;
function mem32() {
  const buf = memory.buffer;
  if (M32 === null || M32.buffer.byteLength !== buf.byteLength) M32 = new Int32Array(buf);
  return M32;
}

/** Test hook: take injected fault \`kind\` if it is armed (debugInjectFault). */
function testFault(kind) {
  return Atomics.load(I, H + C.H_FAULT) === kind && Atomics.compareExchange(I, H + C.H_FAULT, kind, 0) === kind;
}

/** Test hook: never return (until terminated), telling which thread hangs. */
function hang() {
  Atomics.store(I, H + C.H_HUNG, tid);
  for (;;) Atomics.wait(I, H + C.H_FAULT + 1, 0, 1000);
}

function runChunk(p, s, c) {
  const chunk = I[s + C.S_CHUNK];
  const begin = I[s + C.S_BEGIN] + c * chunk;
  const end = Math.min(I[s + C.S_END], begin + chunk);
  if (testFault(1)) throw new Error("injected fault: the kernel threw (debugInjectFault('throw'))");
  if (testFault(2)) die("was killed (debugInjectFault('crash'))");
  if (testFault(3)) hang(); // debugInjectFault('hang')
  if (p.error) throw new Error(p.error);
  const step = I[s + C.S_STEP];
  // Addresses are unsigned 32-bit (I[] reads one at or above 2 GiB as negative).
  const table = I[s + C.S_TABLE] >>> 0;
  if (I[s + C.S_KIND] === 0) {
    p.fns[step](table + tid * I[s + C.S_TSTRIDE], begin, end);
  } else {
    const M = mem32();
    const buf = M.buffer;
    const b = [];
    const t = table >>> 2;
    for (const id of p.used[step]) b[id] = new p.ctors[id](buf, M[t + id] >>> 0, p.sizes[id]);
    p.js[step](b, rt, p.params, begin, end);
  }
}

function fail(s, seq, err) {
  if (Atomics.compareExchange(I, s + C.S_STATUS, 0, tid + 1) !== 0) return;
  const msg = err && err.message ? err.message : String(err);
  const bytes = new TextEncoder().encode(msg).subarray(0, C.ERR_BYTES - 4);
  const off = ctrlByte + (C.HEADER_WORDS + C.CAP * C.SLOT_WORDS) * 4 + (seq % C.CAP) * C.ERR_BYTES;
  const u8 = new Uint8Array(memory.buffer);
  I[off >>> 2] = bytes.length;
  u8.set(bytes, off + 4);
}

function finishChunk(s, seq) {
  if (Atomics.add(I, s + C.S_DONECH, 1) + 1 === I[s + C.S_NCHUNKS]) {
    Atomics.store(I, H + C.H_DONE, seq + 1);
    Atomics.notify(I, H + C.H_DONE);
  }
}

let dead = false;
function onDeath(why) {
  if (dead || I === null) return;
  dead = true;
  // A chunk held (WCH > 0) is this worker's to fail and finish; CLAIMING / COUNTING is left
  // for the pool to settle (whether a chunk was taken or counted is not known here).
  const held = Atomics.load(I, WCH + tid);
  if (held > 0 && Atomics.compareExchange(I, WCH + tid, held, 0) === held && curSlot >= 0) {
    fail(curSlot, curSeq, new Error("worker thread " + tid + " " + why + " while running its share of the kernel"));
    finishChunk(curSlot, curSeq);
  }
  Atomics.store(I, WST + tid, C.W_DEAD);
  Atomics.notify(I, H + C.H_DONE);
}

function die(why) {
  if (isNode) process.exit(70);
  onDeath(why);
  self.close();
  throw new Error("worker closed");
}

function stale() { return Atomics.load(I, H + C.H_EPOCH) !== epoch; }

function quit() {
  Atomics.store(I, WST + tid, C.W_DEAD);
  dead = true;
  if (isNode) { port.close(); } else { self.close(); }
}

async function obtain(pid, seq) {
  for (;;) {
    if (isNode) { let m; while ((m = receiveSync()) !== undefined) handle(m); }
    else await new Promise((r) => setTimeout(r, 0));
    const p = programs.get(pid);
    if (p) return p;
    if (stale() || Atomics.load(I, H + C.H_DONE) > seq) return undefined;
    if (isNode) Atomics.wait(I, H + C.H_DONE, seq, 1);
  }
}

async function loop() {
  let seq = Atomics.load(I, H + C.H_DONE);
  for (;;) {
    if (stale()) return quit();
    const done = Atomics.load(I, H + C.H_DONE);
    if (seq < done) seq = done;
    Atomics.store(I, WSEQ + tid, seq);
    const tail = Atomics.load(I, H + C.H_TAIL);
    if (seq >= tail) {
      if (isNode) Atomics.wait(I, H + C.H_TAIL, tail, 2000);
      else if (Atomics.wait(I, H + C.H_TAIL, tail, 200) === "timed-out") await new Promise((r) => setTimeout(r, 0));
      continue;
    }
    const s = H + C.HEADER_WORDS + (seq % C.CAP) * C.SLOT_WORDS;
    const pid = I[s + C.S_PROG];
    let p = programs.get(pid);
    if (p === undefined) {
      p = await obtain(pid, seq);
      if (p === undefined) continue;
    }
    const nch = I[s + C.S_NCHUNKS];
    curSlot = s; curSeq = seq;
    for (;;) {
      // The pool declared this worker dead (it saw it stopping): take no more chunks.
      if (Atomics.load(I, WST + tid) === C.W_DEAD) { dead = true; return; }
      // CLAIMING until the claim is recorded: a death in between is settled by the pool.
      Atomics.store(I, WCH + tid, C.WCH_CLAIMING);
      const c = Atomics.add(I, s + C.S_NEXT, 1);
      if (c >= nch) { Atomics.store(I, WCH + tid, 0); break; }
      if (testFault(4)) hang();
      // Fails only when the pool declared this worker dead meanwhile (it took over the claim).
      if (Atomics.compareExchange(I, WCH + tid, C.WCH_CLAIMING, c + 1) !== C.WCH_CLAIMING) { dead = true; return; }
      try { runChunk(p, s, c); } catch (e) { if (dead) return; fail(s, seq, e); }
      // Whoever swaps WCH away from c + 1 owns the chunk (see onDeath and the pool's reclaimChunk).
      if (Atomics.compareExchange(I, WCH + tid, c + 1, C.WCH_COUNTING) === c + 1) {
        finishChunk(s, seq);
        if (testFault(5)) hang();
        Atomics.store(I, WCH + tid, 0);
      }
    }
    curSlot = -1;
    while (Atomics.load(I, H + C.H_DONE) === seq) {
      Atomics.wait(I, H + C.H_DONE, seq, 2000);
      if (stale()) return quit();
    }
    seq++;
  }
}
`;
}
