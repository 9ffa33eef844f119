import { type Aare, type Aarq, AcseMachine } from "@mms/acse-auth";
import { concatChain } from "@mms/osi";
import { type BenchResult, measureOps, type Suite } from "../harness";

// Session + presentation + ACSE, sans-IO (no sockets, no promises): how many associations can be
// set up and released per second, and what the data path costs per MMS PDU on top of the MMS
// codec. Frames are joined once per hop, as a transport would hand them over.

const hexBytes = (h: string): Uint8Array =>
  Uint8Array.from(h.match(/../g)!.map((x) => Number.parseInt(x, 16)));
// MMS initiate-Request/Response of V05/V06 and the read request of V17a.
const INITIATE_REQUEST = hexBytes(
  "a826800300fde881010582010583010aa416800101810305f100820c03ee1c00000408000079ef18",
);
const INITIATE_RESPONSE = hexBytes(
  "a926800300fde881010582010583010aa416800101810305f100820c03ee1c00000002000000ed18",
);
const READ_REQUEST = hexBytes(
  "a038020105a433a131a02f302da02ba1291a1173696d706c65494f47656e65726963494f1a144747494f31244d5824416e496e31246d61672466",
);

const ext = (v: Uint8Array) => [
  {
    directReference: undefined,
    indirectReference: 3,
    dataValueDescriptor: undefined,
    encoding: { type: "single-ASN1-type" as const, value: v },
  },
];
const AARQ: Aarq = {
  type: "AARQ",
  applicationContextName: "1.0.9506.2.3",
  called: { apTitle: "1.1.1.999.1", aeQualifier: 12 },
  calling: { apTitle: "1.1.1.999", aeQualifier: 12 },
  userInformation: ext(INITIATE_REQUEST),
};
const AARE: Aare = {
  type: "AARE",
  applicationContextName: "1.0.9506.2.3",
  result: 0,
  resultSourceDiagnostic: { source: "service-user", value: 0 },
  userInformation: ext(INITIATE_RESPONSE),
};

/** One association set up and released between two sans-IO stacks. */
function associateAndRelease(): number {
  const i = new AcseMachine({ role: "initiator" });
  const r = new AcseMachine({ role: "responder" });
  let n = 0;
  const ind = r.receive(concatChain(i.associateRequest(AARQ)));
  if (ind.type !== "associate-indication") throw new Error(ind.type);
  const cnf = i.receive(concatChain(r.associateResponse(AARE)));
  if (cnf.type !== "associate-confirm") throw new Error(cnf.type);
  n += r.receive(concatChain(i.releaseRequest())).type.length;
  n += i.receive(concatChain(r.releaseResponse())).type.length;
  return n;
}

function associated(): [AcseMachine, AcseMachine] {
  const i = new AcseMachine({ role: "initiator" });
  const r = new AcseMachine({ role: "responder" });
  r.receive(concatChain(i.associateRequest(AARQ)));
  i.receive(concatChain(r.associateResponse(AARE)));
  return [i, r];
}

export const suite: Suite = {
  name: "osi",
  async run(): Promise<BenchResult[]> {
    const assoc = measureOps(associateAndRelease);

    // Data path: the initiator wraps one MMS PDU (session GT+DT and presentation headers as one
    // chunk in front of the untouched PDU: zero copies), the responder unwraps it (a view of the
    // received TSDU: zero copies). The TSDU join stands for the transport and is measured apart.
    const [i, r] = associated();
    const chain = i.dataRequest([READ_REQUEST]);
    const tsdu = concatChain(chain);
    const send = measureOps(() => i.dataRequest([READ_REQUEST]));
    const receive = measureOps(() => r.receive(tsdu));
    const sendNs = 1e9 / send.opsPerSec;
    const receiveNs = 1e9 / receive.opsPerSec;
    const ev = r.receive(tsdu);
    const zeroCopy =
      ev.type === "data" && ev.value.buffer === tsdu.buffer && chain[chain.length - 1] === READ_REQUEST;
    return [
      {
        name: "assoc.memory",
        value: assoc.opsPerSec,
        unit: "associations/s",
        extra: { target: ">= 20000", bytesPerAssociation: Math.round(assoc.bytesPerOp) },
      },
      {
        name: "osi.data-overhead",
        value: sendNs + receiveNs,
        unit: "ns/PDU",
        extra: {
          target: "< 1000",
          sendNs: Math.round(sendNs),
          receiveNs: Math.round(receiveNs),
          payloadCopies: zeroCopy ? 0 : 1,
          pduOctets: READ_REQUEST.length,
        },
      },
    ];
  },
};
