export {
  type BenchResult,
  measureAsync,
  measureOps,
  type OpsMeasurement,
  type Suite,
  versus,
} from "./harness";
