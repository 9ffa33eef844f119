import type { OsiProtocolError } from "../errors";
import type { ConnectParams } from "../session/spdu";
import type { PresentationContext } from "./context";
import type { AbortPpdu, AcceptPpdu, ConnectPpdu, PresentationDataValue, RefusePpdu } from "./ppdu";

/** What `PresentationMachine.receive` makes of one TSDU (ISO 8823-1 service indications and confirmations). */
export type PresentationEvent =
  | {
      readonly type: "connect-indication";
      readonly ppdu: ConnectPpdu;
      /** The ACSE APDU (AARQ) from the CP user data, as its TLV. */
      readonly acse: Uint8Array;
      readonly session: ConnectParams;
      readonly contexts: readonly PresentationContext[];
    }
  | {
      readonly type: "connect-confirm";
      readonly ppdu: AcceptPpdu;
      readonly acse: Uint8Array;
      readonly contexts: readonly PresentationContext[];
    }
  | {
      readonly type: "connect-refused";
      /** Session RF reason (2 = rejected by the SS-user, i.e. the presentation layer answered). */
      readonly sessionReason: number;
      readonly ppdu: RefusePpdu | undefined;
      /** The ACSE APDU in the CPR user data (an AARE-), when any. */
      readonly acse: Uint8Array | undefined;
    }
  | { readonly type: "data"; readonly values: readonly PresentationDataValue[] }
  | { readonly type: "release-indication"; readonly acse: Uint8Array | undefined }
  | { readonly type: "release-confirm"; readonly acse: Uint8Array | undefined }
  | { readonly type: "abort"; readonly ppdu: AbortPpdu | undefined; readonly acse: Uint8Array | undefined }
  | { readonly type: "protocol-error"; readonly error: OsiProtocolError };
