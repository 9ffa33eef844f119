/** fast-check arbitraries of canonical MMS values (what our decoder returns for our encoding). */
import type { BitString } from "@mms/asn1";
import fc from "fast-check";
import type {
  AccessResult,
  AccessSelector,
  Address,
  AlternateAccess,
  AlternateAccessSelection,
  ApplicationReference,
  BinaryTime,
  ConfirmedServiceRequest,
  ConfirmedServiceResponse,
  Data,
  InitiateParameters,
  JournalEntry,
  MmsPdu,
  ObjectName,
  ServiceError,
  TypeSpecification,
  UnconfirmedService,
  VariableAccessSpecification,
  VariableListItem,
  VariableSpecification,
  WriteResult,
} from "../../src/index";
import { ERROR_CLASSES, REJECT_KINDS } from "../../src/index";

export const identifier = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,31}$/);
const latin1 = fc.string({
  unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const visible = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const i32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const nat = fc.integer({ min: 0, max: 0x7fffffff });
const bytes = fc.uint8Array({ maxLength: 24 });

export const bitString: fc.Arbitrary<BitString> = fc
  .tuple(fc.uint8Array({ maxLength: 12 }), fc.integer({ min: 0, max: 7 }))
  .map(([b, cut]) => {
    const bitLength = Math.max(0, b.length * 8 - (b.length ? cut : 0));
    const bytesCopy = b.slice();
    const unused = bytesCopy.length * 8 - bitLength;
    if (unused && bytesCopy.length) bytesCopy[bytesCopy.length - 1]! &= (0xff << unused) & 0xff;
    return { bytes: bytesCopy, bitLength };
  });

export const oid = fc
  .tuple(
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 39 }),
    fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 6 }),
  )
  .map(([a, b, rest]) => [a, b, ...rest].join("."));

export const objectName: fc.Arbitrary<ObjectName> = fc.oneof(
  identifier.map((itemId) => ({ scope: "vmd" as const, itemId })),
  fc
    .tuple(identifier, identifier)
    .map(([domainId, itemId]) => ({ scope: "domain" as const, domainId, itemId })),
  identifier.map((itemId) => ({ scope: "aa" as const, itemId })),
);

const binaryTime: fc.Arbitrary<BinaryTime> = fc.record({
  msSinceMidnight: u32,
  days: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
});

const date = fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }).map((ms) => new Date(ms));

const integerValue = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc
    .bigInt({ min: -(2n ** 80n), max: 2n ** 80n })
    .filter((b) => b > BigInt(Number.MAX_SAFE_INTEGER) || b < BigInt(Number.MIN_SAFE_INTEGER)),
);
const unsignedValue = fc.oneof(
  fc.nat(),
  fc.maxSafeNat(),
  fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: 2n ** 80n }),
);

const simpleData: fc.Arbitrary<Data> = fc.oneof(
  fc.boolean().map((value) => ({ type: "boolean" as const, value })),
  bitString.map((value) => ({ type: "bitString" as const, value })),
  integerValue.map((value) => ({ type: "integer" as const, value })),
  unsignedValue.map((value) => ({ type: "unsigned" as const, value })),
  fc.float().map((value) => ({ type: "floatingPoint" as const, value, width: 32 as const })),
  fc.double().map((value) => ({ type: "floatingPoint" as const, value, width: 64 as const })),
  bytes.map((value) => ({ type: "octetString" as const, value })),
  latin1.map((value) => ({ type: "visibleString" as const, value })),
  date.map((value) => ({ type: "generalizedTime" as const, value })),
  binaryTime.map((value) => ({ type: "binaryTime" as const, value })),
  fc.maxSafeNat().map((value) => ({ type: "bcd" as const, value })),
  bitString.map((value) => ({ type: "booleanArray" as const, value })),
  oid.map((value) => ({ type: "objectId" as const, value })),
  fc.string({ unit: "grapheme", maxLength: 20 }).map((value) => ({ type: "mmsString" as const, value })),
  fc
    .record({
      secondsSinceEpoch: u32,
      fraction: fc.integer({ min: 0, max: 0xffffff }),
      quality: fc.integer({ min: 0, max: 255 }),
    })
    .map((value) => ({ type: "utcTime" as const, value })),
);

export const data: fc.Arbitrary<Data> = fc.letrec<{ data: Data }>((tie) => ({
  data: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    simpleData,
    fc.array(tie("data"), { maxLength: 4 }).map((value) => ({ type: "structure" as const, value })),
    fc.array(tie("data"), { maxLength: 4 }).map((value) => ({ type: "array" as const, value })),
  ),
})).data;

export const accessResult: fc.Arbitrary<AccessResult> = fc.oneof(
  data.map((d) => ({ success: true as const, data: d })),
  fc.integer({ min: 0, max: 11 }).map((error) => ({ success: false as const, error })),
);

export const typeSpecification: fc.Arbitrary<TypeSpecification> = fc.letrec<{ t: TypeSpecification }>(
  (tie) => ({
    t: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom<TypeSpecification>(
        { type: "boolean" },
        { type: "generalizedTime" },
        { type: "objectId" },
        { type: "utcTime" },
      ),
      i32.map((size) => ({ type: "bitString" as const, size })),
      fc.integer({ min: 0, max: 255 }).map((bits) => ({ type: "integer" as const, bits })),
      fc.integer({ min: 0, max: 255 }).map((bits) => ({ type: "unsigned" as const, bits })),
      fc.integer({ min: 0, max: 255 }).map((digits) => ({ type: "bcd" as const, digits })),
      fc
        .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
        .map(([formatWidth, exponentWidth]) => ({
          type: "floatingPoint" as const,
          formatWidth,
          exponentWidth,
        })),
      i32.map((size) => ({ type: "octetString" as const, size })),
      i32.map((size) => ({ type: "visibleString" as const, size })),
      i32.map((size) => ({ type: "mmsString" as const, size })),
      fc.boolean().map((withDate) => ({ type: "binaryTime" as const, withDate })),
      objectName.map((name) => ({ type: "typeName" as const, name })),
      fc.tuple(fc.boolean(), u32, tie("t")).map(([packed, numberOfElements, elementType]) => ({
        type: "array" as const,
        packed,
        numberOfElements,
        elementType,
      })),
      fc
        .tuple(
          fc.boolean(),
          fc.array(fc.record({ name: fc.option(identifier, { nil: undefined }), type: tie("t") }), {
            maxLength: 4,
          }),
        )
        .map(([packed, components]) => ({ type: "structure" as const, packed, components })),
    ),
  }),
).t;

const selector: fc.Arbitrary<AccessSelector> = fc.oneof(
  identifier.map((component) => ({ kind: "component" as const, component })),
  u32.map((index) => ({ kind: "index" as const, index })),
  fc
    .tuple(u32, u32)
    .map(([lowIndex, numberOfElements]) => ({ kind: "indexRange" as const, lowIndex, numberOfElements })),
  fc.constant({ kind: "allElements" as const }),
);

export const alternateAccess: fc.Arbitrary<AlternateAccess> = fc.letrec<{
  aa: AlternateAccess;
  sel: AlternateAccessSelection;
}>((tie) => ({
  aa: fc.array(
    fc.record({ componentName: fc.option(identifier, { nil: undefined }), selection: tie("sel") }),
    { minLength: 1, maxLength: 3, depthIdentifier: "aa" },
  ),
  sel: fc.oneof(
    { depthSize: "small", depthIdentifier: "aa" },
    selector.map((s) => ({ kind: "selectAccess" as const, selector: s })),
    fc
      .tuple(selector, tie("aa"))
      .map(([s, a]) => ({ kind: "selectAlternateAccess" as const, selector: s, alternateAccess: a })),
  ),
})).aa;

export const address: fc.Arbitrary<Address> = fc.oneof(
  u32.map((value) => ({ kind: "numeric" as const, value })),
  visible.map((value) => ({ kind: "symbolic" as const, value })),
  bytes.map((value) => ({ kind: "unconstrained" as const, value })),
);

export const variableSpecification: fc.Arbitrary<VariableSpecification> = fc.oneof(
  { weight: 5, arbitrary: objectName.map((name) => ({ kind: "name" as const, name })) },
  address.map((a) => ({ kind: "address" as const, address: a })),
  fc
    .tuple(address, typeSpecification)
    .map(([a, t]) => ({ kind: "variableDescription" as const, address: a, typeSpecification: t })),
  bytes.map((content) => ({ kind: "scatteredAccessDescription" as const, content })),
  fc.constant({ kind: "invalidated" as const }),
);

const listItem: fc.Arbitrary<VariableListItem> = fc.record({
  variable: variableSpecification,
  alternateAccess: fc.option(alternateAccess, { nil: undefined }),
});
const variableList = fc.array(listItem, { maxLength: 4 });

export const vas: fc.Arbitrary<VariableAccessSpecification> = fc.oneof(
  variableList.map((list) => ({ kind: "listOfVariable" as const, list })),
  objectName.map((name) => ({ kind: "variableListName" as const, name })),
);

const fileName = fc.array(latin1, { minLength: 1, maxLength: 2 });

export const applicationReference: fc.Arbitrary<ApplicationReference> = fc.record({
  apTitle: fc.option(oid, { nil: undefined }),
  apInvocationId: fc.option(i32, { nil: undefined }),
  aeQualifier: fc.option(i32, { nil: undefined }),
  aeInvocationId: fc.option(i32, { nil: undefined }),
});

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** One arbitrary per confirmed service request. */
export const requests: Record<string, fc.Arbitrary<ConfirmedServiceRequest>> = {
  status: fc.boolean().map((extendedDerivation) => ({ service: "status", extendedDerivation })),
  getNameList: fc.record({
    service: fc.constant("getNameList" as const),
    objectClass: fc.integer({ min: 0, max: 11 }),
    scope: fc.oneof(
      fc.constant({ kind: "vmd" as const }),
      identifier.map((domainId) => ({ kind: "domain" as const, domainId })),
      fc.constant({ kind: "aa" as const }),
    ),
    continueAfter: opt(identifier),
  }),
  identify: fc.constant({ service: "identify" }),
  read: fc.record({
    service: fc.constant("read" as const),
    specificationWithResult: fc.boolean(),
    variableAccessSpecification: vas,
  }),
  write: fc.record({
    service: fc.constant("write" as const),
    variableAccessSpecification: vas,
    listOfData: fc.array(data, { maxLength: 4 }),
  }),
  getVariableAccessAttributes: fc.oneof(
    objectName.map((name) => ({ service: "getVariableAccessAttributes" as const, name, address: undefined })),
    address.map((a) => ({ service: "getVariableAccessAttributes" as const, name: undefined, address: a })),
  ),
  defineNamedVariableList: fc.record({
    service: fc.constant("defineNamedVariableList" as const),
    variableListName: objectName,
    listOfVariable: variableList,
  }),
  getNamedVariableListAttributes: objectName.map((variableListName) => ({
    service: "getNamedVariableListAttributes" as const,
    variableListName,
  })),
  deleteNamedVariableList: fc.record({
    service: fc.constant("deleteNamedVariableList" as const),
    scopeOfDelete: fc.integer({ min: 0, max: 3 }),
    listOfVariableListName: opt(fc.array(objectName, { maxLength: 3 })),
    domainName: opt(identifier),
  }),
  obtainFile: fc.record({
    service: fc.constant("obtainFile" as const),
    sourceFileServer: opt(applicationReference),
    sourceFile: fileName,
    destinationFile: fileName,
  }),
  readJournal: fc.record({
    service: fc.constant("readJournal" as const),
    journalName: objectName,
    rangeStart: opt(
      fc.oneof(
        binaryTime.map((time) => ({ kind: "startingTime" as const, time })),
        bytes.map((entry) => ({ kind: "startingEntry" as const, entry })),
      ),
    ),
    rangeStop: opt(
      fc.oneof(
        binaryTime.map((time) => ({ kind: "endingTime" as const, time })),
        i32.map((count) => ({ kind: "numberOfEntries" as const, count })),
      ),
    ),
    listOfVariables: opt(fc.array(visible, { maxLength: 3 })),
    entryToStartAfter: opt(fc.record({ time: binaryTime, entry: bytes })),
  }),
  initializeJournal: fc.record({
    service: fc.constant("initializeJournal" as const),
    journalName: objectName,
    limitSpecification: opt(fc.record({ limitingTime: binaryTime, limitingEntry: opt(bytes) })),
  }),
  fileOpen: fc.record({ service: fc.constant("fileOpen" as const), fileName, initialPosition: u32 }),
  fileRead: i32.map((frsmId) => ({ service: "fileRead" as const, frsmId })),
  fileClose: i32.map((frsmId) => ({ service: "fileClose" as const, frsmId })),
  fileRename: fc.record({
    service: fc.constant("fileRename" as const),
    currentFileName: fileName,
    newFileName: fileName,
  }),
  fileDelete: fileName.map((f) => ({ service: "fileDelete" as const, fileName: f })),
  fileDirectory: fc.record({
    service: fc.constant("fileDirectory" as const),
    fileSpecification: opt(fileName),
    continueAfter: opt(fileName),
  }),
  unknown: fc.tuple(fc.constantFrom(0xbf3f, 0x83, 0x87), bytes).map(([t, content]) => unknownTlv(t, content)),
};

/** A primitive/constructed element with a tag no coded service uses (getAlarmSummary, rename…). */
function unknownTlv(t: number, content: Uint8Array): { service: "unknown"; tag: number; raw: Uint8Array } {
  const head = t > 0xff ? [t >> 8, t & 0xff] : [t];
  const raw = Uint8Array.from([...head, content.length, ...content]);
  const cls = head[0]! & 0xe0;
  const num = t > 0xff ? t & 0x7f : head[0]! & 0x1f;
  return { service: "unknown", tag: (cls << 21) | num, raw };
}

const journalEntry: fc.Arbitrary<JournalEntry> = fc.record({
  entryIdentifier: bytes,
  originatingApplication: applicationReference,
  entryContent: fc.record({
    occurrenceTime: binaryTime,
    form: fc.oneof(
      fc.record({
        kind: fc.constant("data" as const),
        event: opt(
          fc.record({ eventConditionName: objectName, currentState: fc.integer({ min: 0, max: 2 }) }),
        ),
        listOfVariables: opt(fc.array(fc.record({ variableTag: latin1, value: data }), { maxLength: 3 })),
      }),
      latin1.map((text) => ({ kind: "annotation" as const, text })),
    ),
  }),
});

const writeResult: fc.Arbitrary<WriteResult> = fc.oneof(
  fc.constant({ success: true as const, error: undefined }),
  fc.integer({ min: 0, max: 11 }).map((error) => ({ success: false as const, error })),
);

/** One arbitrary per confirmed service response. */
export const responses: Record<string, fc.Arbitrary<ConfirmedServiceResponse>> = {
  status: fc.record({
    service: fc.constant("status" as const),
    logicalStatus: fc.integer({ min: 0, max: 3 }),
    physicalStatus: fc.integer({ min: 0, max: 3 }),
    localDetail: opt(bitString),
  }),
  getNameList: fc.record({
    service: fc.constant("getNameList" as const),
    identifiers: fc.array(identifier, { maxLength: 8 }),
    moreFollows: fc.boolean(),
  }),
  identify: fc.record({
    service: fc.constant("identify" as const),
    vendorName: latin1,
    modelName: latin1,
    revision: latin1,
    abstractSyntaxes: opt(fc.array(oid, { maxLength: 3 })),
  }),
  read: fc.record({
    service: fc.constant("read" as const),
    variableAccessSpecification: opt(vas),
    results: fc.array(accessResult, { maxLength: 5 }),
  }),
  write: fc.record({
    service: fc.constant("write" as const),
    results: fc.array(writeResult, { maxLength: 5 }),
  }),
  getVariableAccessAttributes: fc.record({
    service: fc.constant("getVariableAccessAttributes" as const),
    mmsDeletable: fc.boolean(),
    address: opt(address),
    typeSpecification,
  }),
  defineNamedVariableList: fc.constant({ service: "defineNamedVariableList" as const }),
  getNamedVariableListAttributes: fc.record({
    service: fc.constant("getNamedVariableListAttributes" as const),
    mmsDeletable: fc.boolean(),
    listOfVariable: variableList,
  }),
  deleteNamedVariableList: fc.record({
    service: fc.constant("deleteNamedVariableList" as const),
    numberMatched: u32,
    numberDeleted: u32,
  }),
  obtainFile: fc.constant({ service: "obtainFile" as const }),
  readJournal: fc.record({
    service: fc.constant("readJournal" as const),
    entries: fc.array(journalEntry, { maxLength: 3 }),
    moreFollows: fc.boolean(),
  }),
  initializeJournal: u32.map((entriesDeleted) => ({ service: "initializeJournal" as const, entriesDeleted })),
  fileOpen: fc.record({
    service: fc.constant("fileOpen" as const),
    frsmId: i32,
    sizeOfFile: u32,
    lastModified: opt(date),
  }),
  fileRead: fc.record({
    service: fc.constant("fileRead" as const),
    fileData: bytes,
    moreFollows: fc.boolean(),
  }),
  fileClose: fc.constant({ service: "fileClose" as const }),
  fileRename: fc.constant({ service: "fileRename" as const }),
  fileDelete: fc.constant({ service: "fileDelete" as const }),
  fileDirectory: fc.record({
    service: fc.constant("fileDirectory" as const),
    entries: fc.array(fc.record({ fileName, sizeOfFile: u32, lastModified: opt(date) }), { maxLength: 3 }),
    moreFollows: fc.boolean(),
  }),
  unknown: fc.tuple(fc.constantFrom(0xbf3f, 0x83), bytes).map(([t, c]) => unknownTlv(t, c)),
};

export const serviceError: fc.Arbitrary<ServiceError> = fc.record({
  errorClass: fc.constantFrom(...ERROR_CLASSES),
  code: fc.integer({ min: 0, max: 12 }),
  additionalCode: opt(fc.integer()),
  additionalDescription: opt(latin1),
  serviceSpecificInformation: opt(
    fc.oneof(
      fc
        .tuple(
          fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 9, 11),
          fc.integer({ min: -0x80000000, max: 0xffffffff }),
        )
        .map(([tag, value]) => ({ kind: "integer" as const, tag, value })),
      fc
        .tuple(fc.constantFrom(8, 10), bytes)
        .map(([tag, content]) => ({ kind: "raw" as const, tag, content })),
    ),
  ),
});

export const unconfirmed: fc.Arbitrary<UnconfirmedService> = fc.oneof(
  fc.record({
    service: fc.constant("informationReport" as const),
    variableAccessSpecification: vas,
    results: fc.array(accessResult, { maxLength: 6 }),
  }),
  fc.record({
    service: fc.constant("unsolicitedStatus" as const),
    logicalStatus: fc.integer({ min: 0, max: 3 }),
    physicalStatus: fc.integer({ min: 0, max: 3 }),
    localDetail: opt(bitString),
  }),
  fc.tuple(fc.constantFrom(0xa2, 0x83), bytes).map(([t, c]) => unknownTlv(t, c)),
);

const initiate: fc.Arbitrary<InitiateParameters> = fc.record({
  localDetail: opt(i32),
  maxServOutstandingCalling: fc.integer({ min: -0x8000, max: 0x7fff }),
  maxServOutstandingCalled: fc.integer({ min: -0x8000, max: 0x7fff }),
  dataStructureNestingLevel: opt(fc.integer({ min: -128, max: 127 })),
  version: fc.integer({ min: -0x8000, max: 0x7fff }),
  parameterCbb: bitString,
  servicesSupported: bitString,
});

/** One arbitrary per MMSpdu alternative. */
export const pdus: Record<string, fc.Arbitrary<MmsPdu>> = {
  confirmedRequest: fc.tuple(u32, fc.oneof(...Object.values(requests))).map(([invokeId, request]) => ({
    type: "confirmedRequest" as const,
    invokeId,
    request,
    modifiers: undefined,
  })),
  confirmedResponse: fc
    .tuple(u32, fc.oneof(...Object.values(responses)))
    .map(([invokeId, response]) => ({ type: "confirmedResponse" as const, invokeId, response })),
  confirmedError: fc.record({
    type: fc.constant("confirmedError" as const),
    invokeId: u32,
    modifierPosition: opt(u32),
    error: serviceError,
  }),
  unconfirmed: unconfirmed.map((service) => ({ type: "unconfirmed" as const, service })),
  reject: fc.record({
    type: fc.constant("reject" as const),
    originalInvokeId: opt(u32),
    problem: fc.record({ kind: fc.constantFrom(...REJECT_KINDS), code: fc.integer({ min: 0, max: 9 }) }),
  }),
  cancelRequest: u32.map((invokeId) => ({ type: "cancelRequest" as const, invokeId })),
  cancelResponse: u32.map((invokeId) => ({ type: "cancelResponse" as const, invokeId })),
  cancelError: fc.record({ type: fc.constant("cancelError" as const), invokeId: u32, error: serviceError }),
  initiateRequest: initiate.map((p) => ({ type: "initiateRequest" as const, ...p })),
  initiateResponse: initiate.map((p) => ({ type: "initiateResponse" as const, ...p })),
  initiateError: serviceError.map((error) => ({ type: "initiateError" as const, error })),
  concludeRequest: fc.constant({ type: "concludeRequest" as const }),
  concludeResponse: fc.constant({ type: "concludeResponse" as const }),
  concludeError: serviceError.map((error) => ({ type: "concludeError" as const, error })),
};

export const anyPdu: fc.Arbitrary<MmsPdu> = fc.oneof(...Object.values(pdus));
export { nat };
