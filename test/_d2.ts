import { generate } from "./fuzz/generate.js";
import { broadcastShapes } from "./fuzz/context.js";
const g = generate(173, { x64: false, smooth: false });
console.log(g.program.inputs.map(i => i.name + " " + JSON.stringify(i.aval) + " " + i.expr));
console.log(g.program.lines.map(l => l.name + " " + JSON.stringify(l.aval)));
console.log(broadcastShapes([3], [1,3,0]));
process.exit(0);
