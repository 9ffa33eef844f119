import { X509Certificate } from "node:crypto";
import { pemBlocks } from "./pem";

// Checks used by createTlsProfile: each records a problem instead of throwing, so that every
// problem of a profile is reported together.

/** An integer option in [min, max], or its default. */
export function intIn(
  problems: string[],
  name: string,
  v: number | undefined,
  min: number,
  max: number,
  dflt: number,
): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min || v > max)
    problems.push(`${name} must be an integer from ${min} to ${max} (got ${String(v)})`);
  return v;
}

/** An optional array option: undefined stays undefined, a non-array is a problem (read as empty). */
export function listOption<T>(
  problems: string[],
  name: string,
  v: readonly T[] | undefined,
): readonly T[] | undefined {
  if (v === undefined || Array.isArray(v)) return v;
  problems.push(`${name} must be an array`);
  return [];
}

/** An optional object option. */
export function objectOption<T extends object>(
  problems: string[],
  name: string,
  v: T | undefined,
): Partial<T> {
  if (v === undefined) return {};
  if (typeof v === "object" && v !== null && !Array.isArray(v)) return v;
  problems.push(`${name} must be an object`);
  return {};
}

export function parseCerts(problems: string[], what: string, pem: string): X509Certificate[] {
  const ders = pemBlocks(pem, "CERTIFICATE");
  if (ders.length === 0) problems.push(`${what}: no PEM CERTIFICATE found`);
  const out: X509Certificate[] = [];
  for (const der of ders) {
    try {
      out.push(new X509Certificate(Buffer.from(der)));
    } catch (e) {
      problems.push(`${what}: unreadable certificate (${(e as Error).message})`);
    }
  }
  return out;
}
