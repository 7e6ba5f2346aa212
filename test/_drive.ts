import { runTier, describeSummary, type Tier } from "./fuzz/runner.js";
const tier = process.argv[2] as Tier, first = Number(process.argv[3]), count = Number(process.argv[4]);
const x64 = process.argv[5] === "x64";
console.log(describeSummary(tier, first, runTier(tier, first, count, x64)));
process.exit(0);
