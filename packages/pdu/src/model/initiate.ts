import type { BitString } from "@mms/asn1";

/**
 * The parameters shared by initiate-RequestPDU and initiate-ResponsePDU (ISO 9506-2 §8.2): in a
 * request they are the proposed values, in a response the negotiated ones.
 */
export interface InitiateParameters {
  /** localDetailCalling / localDetailCalled: the largest MMS PDU, in octets. */
  readonly localDetail: number | undefined;
  readonly maxServOutstandingCalling: number;
  readonly maxServOutstandingCalled: number;
  readonly dataStructureNestingLevel: number | undefined;
  readonly version: number;
  /** ParameterSupportOptions (11 bits: str1 str2 vnam valt vadr vsca tpy vlis real spare cei). */
  readonly parameterCbb: BitString;
  /** ServiceSupportOptions (85 bits), servicesSupportedCalling / -Called. */
  readonly servicesSupported: BitString;
}

/** ParameterSupportOptions bit numbers. */
export const ParameterCbb = {
  str1: 0,
  str2: 1,
  vnam: 2,
  valt: 3,
  vadr: 4,
  vsca: 5,
  tpy: 6,
  vlis: 7,
  real: 8,
  cei: 10,
} as const;

/** ServiceSupportOptions bit numbers of the services this package codes (ISO 9506-2 §8.2.3). */
export const ServiceSupport = {
  status: 0,
  getNameList: 1,
  identify: 2,
  rename: 3,
  read: 4,
  write: 5,
  getVariableAccessAttributes: 6,
  defineNamedVariable: 7,
  defineNamedVariableList: 11,
  getNamedVariableListAttributes: 12,
  deleteNamedVariableList: 13,
  obtainFile: 46,
  readJournal: 65,
  writeJournal: 66,
  initializeJournal: 67,
  reportJournalStatus: 68,
  getCapabilityList: 71,
  fileOpen: 72,
  fileRead: 73,
  fileClose: 74,
  fileRename: 75,
  fileDelete: 76,
  fileDirectory: 77,
  unsolicitedStatus: 78,
  informationReport: 79,
  conclude: 83,
  cancel: 84,
} as const;
