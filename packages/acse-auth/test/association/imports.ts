export { BerReader, bitAt, UniversalTag } from "@mms/asn1";
export { readConnectPpdu } from "@mms/osi";
