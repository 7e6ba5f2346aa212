/** Autodiff: the public API, with the rules for call primitives installed. */
import "./pjit-rules.js";
import "./control-flow-install.js";
import "./reduce-window-rules.js";

export { jvp, linearize, vjp, grad, valueAndGrad } from "./api.js";
export type { AuxOptions, GradOptions } from "./api.js";
export { jacfwd, jacrev, jacobian, hessian } from "./jacobian.js";
export type { JacOptions } from "./jacobian.js";
