/** PPM states (ISO 8823-1 Annex A): idle, awaiting CPA, awaiting the P-CONNECT response, connected. */
export type PresentationState = "STAI0" | "STAI1" | "STAI2" | "STAt0" | "closed";

/** Inputs of the presentation state table: PPDUs received and service primitives. */
export type PresentationInput =
  | "P-CONreq"
  | "P-CONrsp+"
  | "P-CONrsp-"
  | "P-DTreq"
  | "P-RELreq"
  | "P-RELrsp+"
  | "P-UABreq"
  | "CP"
  | "CPA"
  | "CPR"
  | "TD"
  | "S-RELind"
  | "S-RELcnf"
  | "ARU"
  | "ARP";

/**
 * ISO 8823-1 Annex A state table (kernel functional unit, normal mode). Release is the
 * session's (S-RELEASE carries the ACSE RLRQ/RLRE as user data); a missing cell is a protocol
 * error answered with an ARP-PPDU (ISO 8823-1 §6.4.4) or, before the connection, a CPR-PPDU.
 */
export const PRESENTATION_TRANSITIONS: Readonly<
  Record<PresentationState, Readonly<Partial<Record<PresentationInput, PresentationState>>>>
> = {
  STAI0: { "P-CONreq": "STAI1", CP: "STAI2", "P-UABreq": "closed", ARU: "closed", ARP: "closed" },
  STAI1: { CPA: "STAt0", CPR: "closed", "P-UABreq": "closed", ARU: "closed", ARP: "closed" },
  STAI2: { "P-CONrsp+": "STAt0", "P-CONrsp-": "closed", "P-UABreq": "closed", ARU: "closed", ARP: "closed" },
  STAt0: {
    "P-DTreq": "STAt0",
    TD: "STAt0",
    "P-RELreq": "STAt0",
    "P-RELrsp+": "closed",
    "S-RELind": "STAt0",
    "S-RELcnf": "closed",
    "P-UABreq": "closed",
    ARU: "closed",
    ARP: "closed",
  },
  closed: {},
};
