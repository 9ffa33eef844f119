import { readFile } from "node:fs/promises";
import { MmsModelError } from "./errors";
import { vmdFromJson } from "./vmd/json-model";
import type { Vmd } from "./vmd/vmd";

/** Reads a JSON model file (see `JsonModel`) and builds the VMD. */
export async function loadVmdModel(path: string): Promise<Vmd> {
  const text = await readFile(path, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new MmsModelError(`${path}: not JSON (${(e as Error).message})`, { cause: e });
  }
  return vmdFromJson(json);
}
