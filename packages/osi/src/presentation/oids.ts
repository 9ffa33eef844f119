import type { Oid } from "@mms/asn1";

/** ACSE abstract syntax, id-as-acse (ISO 8650-1): `52 01 00 01`. */
export const ACSE_ABSTRACT_SYNTAX: Oid = "2.2.1.0.1";
/** MMS abstract syntax, mms-abstract-syntax-version1 (ISO 9506-2): `28 ca 22 02 01`. */
export const MMS_ABSTRACT_SYNTAX: Oid = "1.0.9506.2.1";
/** Basic Encoding Rules transfer syntax (X.690): `51 01`. */
export const BER_TRANSFER_SYNTAX: Oid = "2.1.1";
