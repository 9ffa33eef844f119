import { type Codec, decode, type DecodeLimits, encode, type Oid } from "@mms/asn1";
import { OsiProtocolError } from "../errors";
import { ACSE_ABSTRACT_SYNTAX, BER_TRANSFER_SYNTAX, MMS_ABSTRACT_SYNTAX } from "./oids";
import type { ContextDefinition, ContextResult } from "./ppdu";

/** What libiec61850 and iec61850bean propose: 1 = ACSE, 3 = MMS, both BER (stack.md §4.1). */
export const DEFAULT_CONTEXTS: readonly ContextDefinition[] = Object.freeze([
  Object.freeze({
    id: 1,
    abstractSyntax: ACSE_ABSTRACT_SYNTAX,
    transferSyntaxes: Object.freeze([BER_TRANSFER_SYNTAX]),
  }),
  Object.freeze({
    id: 3,
    abstractSyntax: MMS_ABSTRACT_SYNTAX,
    transferSyntaxes: Object.freeze([BER_TRANSFER_SYNTAX]),
  }),
]);

/** A negotiated presentation context (the defined context set, ISO 8823-1 §6.2). */
export interface PresentationContext {
  readonly id: number;
  readonly abstractSyntax: Oid;
  readonly transferSyntax: Oid;
}

/**
 * Responder side of context negotiation (ISO 8823-1 §6.2.2): one result per proposed context,
 * in the same order; a context is accepted when its abstract syntax is supported and BER is
 * among its transfer syntaxes. The initiator's identifiers are kept as they are.
 */
export function negotiateContexts(
  proposed: readonly ContextDefinition[],
  supported: readonly Oid[],
): { results: ContextResult[]; accepted: PresentationContext[] } {
  const seen = new Set<number>();
  const results: ContextResult[] = [];
  const accepted: PresentationContext[] = [];
  for (const c of proposed) {
    if (seen.has(c.id))
      throw new OsiProtocolError(
        "presentation",
        "invalid-ppdu-parameter",
        `context id ${c.id} proposed twice`,
      );
    seen.add(c.id);
    if (!supported.includes(c.abstractSyntax)) {
      results.push({ result: 2, transferSyntax: undefined, providerReason: 1 });
    } else if (!c.transferSyntaxes.includes(BER_TRANSFER_SYNTAX)) {
      results.push({ result: 2, transferSyntax: undefined, providerReason: 2 });
    } else {
      results.push({ result: 0, transferSyntax: BER_TRANSFER_SYNTAX, providerReason: undefined });
      accepted.push({ id: c.id, abstractSyntax: c.abstractSyntax, transferSyntax: BER_TRANSFER_SYNTAX });
    }
  }
  return { results, accepted };
}

/** Initiator side: the contexts the responder accepted, matched to the proposal by position. */
export function acceptedContexts(
  proposed: readonly ContextDefinition[],
  results: readonly ContextResult[],
): PresentationContext[] {
  if (results.length !== proposed.length)
    throw new OsiProtocolError(
      "presentation",
      "invalid-ppdu-parameter",
      `${results.length} context results for ${proposed.length} proposed contexts`,
    );
  const out: PresentationContext[] = [];
  for (let i = 0; i < proposed.length; i++) {
    const r = results[i]!;
    const p = proposed[i]!;
    if (r.result !== 0) continue;
    const ts = r.transferSyntax ?? p.transferSyntaxes[0] ?? BER_TRANSFER_SYNTAX;
    if (!p.transferSyntaxes.includes(ts))
      throw new OsiProtocolError(
        "presentation",
        "invalid-ppdu-parameter",
        `transfer syntax ${ts} was not proposed`,
      );
    out.push({ id: p.id, abstractSyntax: p.abstractSyntax, transferSyntax: ts });
  }
  return out;
}

/**
 * The pluggable-codec seam: a presentation context bound to a `Codec` of its abstract syntax,
 * so that the values of that context are encoded and decoded by whatever codec the
 * application supplies (e.g. @mms/pdu's MMS codec, a tracing wrapper, a vendor extension).
 */
export class BoundContext<T> {
  readonly context: PresentationContext;
  readonly codec: Codec<T>;
  private readonly limits: DecodeLimits | undefined;

  constructor(context: PresentationContext, codec: Codec<T>, limits?: DecodeLimits) {
    this.context = context;
    this.codec = codec;
    this.limits = limits;
  }

  /** The BER encoding of `value` (a presentation data value of this context). */
  encode(value: T): Uint8Array {
    return encode(this.codec, value);
  }

  /** Decodes a received presentation data value; a codec failure becomes a presentation error. */
  decode(bytes: Uint8Array): T {
    try {
      return decode(this.codec, bytes, this.limits);
    } catch (e) {
      throw new OsiProtocolError(
        "presentation",
        "undecodable-value",
        `context ${this.context.id}: ${String(e)}`,
        {
          cause: e,
        },
      );
    }
  }
}

/** Binds `context` to `codec`. */
export function bindContext<T>(
  context: PresentationContext,
  codec: Codec<T>,
  limits?: DecodeLimits,
): BoundContext<T> {
  return new BoundContext(context, codec, limits);
}
