import type { BitString } from "@mms/asn1";
import type { AccessResult, BinaryTime, Data, WriteResult } from "./data";
import type { Address, ApplicationReference, FileName, ObjectName } from "./names";
import type { TypeSpecification, VariableAccessSpecification, VariableListItem } from "./types";

/** GetNameList objectScope (ISO 9506-2 §10.5). */
export type NameListScope =
  | { readonly kind: "vmd" }
  | { readonly kind: "domain"; readonly domainId: string }
  | { readonly kind: "aa" };

/** GetNameList objectClass values (ISO 9506-2 §10.5.1). */
export const ObjectClass = {
  namedVariable: 0,
  scatteredAccess: 1,
  namedVariableList: 2,
  namedType: 3,
  semaphore: 4,
  eventCondition: 5,
  eventAction: 6,
  eventEnrollment: 7,
  journal: 8,
  domain: 9,
  programInvocation: 10,
  operatorStation: 11,
} as const;

/** ReadJournal rangeStartSpecification. */
export type JournalRangeStart =
  | { readonly kind: "startingTime"; readonly time: BinaryTime }
  | { readonly kind: "startingEntry"; readonly entry: Uint8Array };
/** ReadJournal rangeStopSpecification. */
export type JournalRangeStop =
  | { readonly kind: "endingTime"; readonly time: BinaryTime }
  | { readonly kind: "numberOfEntries"; readonly count: number };

export interface JournalVariable {
  readonly variableTag: string;
  readonly value: Data;
}
/** EntryContent entryForm (ISO 9506-2 §20.8). */
export type JournalEntryForm =
  | {
      readonly kind: "data";
      readonly event: { readonly eventConditionName: ObjectName; readonly currentState: number } | undefined;
      readonly listOfVariables: readonly JournalVariable[] | undefined;
    }
  | { readonly kind: "annotation"; readonly text: string };
export interface EntryContent {
  readonly occurrenceTime: BinaryTime;
  readonly form: JournalEntryForm;
}
export interface JournalEntry {
  readonly entryIdentifier: Uint8Array;
  readonly originatingApplication: ApplicationReference;
  readonly entryContent: EntryContent;
}

/** FileAttributes + name (DirectoryEntry, ISO 9506-2 Annex D). */
export interface DirectoryEntry {
  readonly fileName: FileName;
  readonly sizeOfFile: number;
  readonly lastModified: Date | undefined;
}

/** A confirmed service this package does not code: kept whole so a server can reject it. */
export interface UnknownService {
  readonly service: "unknown";
  /** The service's tag (see `tagNumberOf` in @mms/asn1). */
  readonly tag: number;
  /** The whole element (identifier, length, content), a view of the input. */
  readonly raw: Uint8Array;
}

/** ISO 9506-2 ConfirmedServiceRequest (the coded subset; anything else is `unknown`). */
export type ConfirmedServiceRequest =
  | { readonly service: "status"; readonly extendedDerivation: boolean }
  | {
      readonly service: "getNameList";
      readonly objectClass: number;
      readonly scope: NameListScope;
      readonly continueAfter: string | undefined;
    }
  | { readonly service: "identify" }
  | {
      readonly service: "read";
      readonly specificationWithResult: boolean;
      readonly variableAccessSpecification: VariableAccessSpecification;
    }
  | {
      readonly service: "write";
      readonly variableAccessSpecification: VariableAccessSpecification;
      readonly listOfData: readonly Data[];
    }
  | {
      readonly service: "getVariableAccessAttributes";
      /** Exactly one of name and address is set. */
      readonly name: ObjectName | undefined;
      readonly address: Address | undefined;
    }
  | {
      readonly service: "defineNamedVariableList";
      readonly variableListName: ObjectName;
      readonly listOfVariable: readonly VariableListItem[];
    }
  | { readonly service: "getNamedVariableListAttributes"; readonly variableListName: ObjectName }
  | {
      readonly service: "deleteNamedVariableList";
      /** 0 specific (the default), 1 aa-specific, 2 domain, 3 vmd. */
      readonly scopeOfDelete: number;
      readonly listOfVariableListName: readonly ObjectName[] | undefined;
      readonly domainName: string | undefined;
    }
  | {
      readonly service: "obtainFile";
      readonly sourceFileServer: ApplicationReference | undefined;
      readonly sourceFile: FileName;
      readonly destinationFile: FileName;
    }
  | {
      readonly service: "readJournal";
      readonly journalName: ObjectName;
      readonly rangeStart: JournalRangeStart | undefined;
      readonly rangeStop: JournalRangeStop | undefined;
      readonly listOfVariables: readonly string[] | undefined;
      readonly entryToStartAfter: { readonly time: BinaryTime; readonly entry: Uint8Array } | undefined;
    }
  | {
      readonly service: "initializeJournal";
      readonly journalName: ObjectName;
      readonly limitSpecification:
        | { readonly limitingTime: BinaryTime; readonly limitingEntry: Uint8Array | undefined }
        | undefined;
    }
  | { readonly service: "fileOpen"; readonly fileName: FileName; readonly initialPosition: number }
  | { readonly service: "fileRead"; readonly frsmId: number }
  | { readonly service: "fileClose"; readonly frsmId: number }
  | { readonly service: "fileRename"; readonly currentFileName: FileName; readonly newFileName: FileName }
  | { readonly service: "fileDelete"; readonly fileName: FileName }
  | {
      readonly service: "fileDirectory";
      readonly fileSpecification: FileName | undefined;
      readonly continueAfter: FileName | undefined;
    }
  | UnknownService;

/** ISO 9506-2 ConfirmedServiceResponse, with the same `service` names as the requests. */
export type ConfirmedServiceResponse =
  | {
      readonly service: "status";
      readonly logicalStatus: number;
      readonly physicalStatus: number;
      readonly localDetail: BitString | undefined;
    }
  | {
      readonly service: "getNameList";
      readonly identifiers: readonly string[];
      readonly moreFollows: boolean;
    }
  | {
      readonly service: "identify";
      readonly vendorName: string;
      readonly modelName: string;
      readonly revision: string;
      readonly abstractSyntaxes: readonly string[] | undefined;
    }
  | {
      readonly service: "read";
      readonly variableAccessSpecification: VariableAccessSpecification | undefined;
      readonly results: readonly AccessResult[];
    }
  | { readonly service: "write"; readonly results: readonly WriteResult[] }
  | {
      readonly service: "getVariableAccessAttributes";
      readonly mmsDeletable: boolean;
      readonly address: Address | undefined;
      readonly typeSpecification: TypeSpecification;
    }
  | { readonly service: "defineNamedVariableList" }
  | {
      readonly service: "getNamedVariableListAttributes";
      readonly mmsDeletable: boolean;
      readonly listOfVariable: readonly VariableListItem[];
    }
  | {
      readonly service: "deleteNamedVariableList";
      readonly numberMatched: number;
      readonly numberDeleted: number;
    }
  | { readonly service: "obtainFile" }
  | {
      readonly service: "readJournal";
      readonly entries: readonly JournalEntry[];
      readonly moreFollows: boolean;
    }
  | { readonly service: "initializeJournal"; readonly entriesDeleted: number }
  | {
      readonly service: "fileOpen";
      readonly frsmId: number;
      readonly sizeOfFile: number;
      readonly lastModified: Date | undefined;
    }
  | { readonly service: "fileRead"; readonly fileData: Uint8Array; readonly moreFollows: boolean }
  | { readonly service: "fileClose" }
  | { readonly service: "fileRename" }
  | { readonly service: "fileDelete" }
  | {
      readonly service: "fileDirectory";
      readonly entries: readonly DirectoryEntry[];
      readonly moreFollows: boolean;
    }
  | UnknownService;

export type ConfirmedServiceName = Exclude<ConfirmedServiceRequest["service"], "unknown">;

/** ISO 9506-2 UnconfirmedService (InformationReport, UnsolicitedStatus; others `unknown`). */
export type UnconfirmedService =
  | {
      readonly service: "informationReport";
      readonly variableAccessSpecification: VariableAccessSpecification;
      readonly results: readonly AccessResult[];
    }
  | {
      readonly service: "unsolicitedStatus";
      readonly logicalStatus: number;
      readonly physicalStatus: number;
      readonly localDetail: BitString | undefined;
    }
  | UnknownService;
