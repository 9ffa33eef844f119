import {
  type AccessResult,
  type AlternateAccess,
  type ConfirmedServiceRequest,
  type ConfirmedServiceResponse,
  type Data,
  decodeMmsPdu,
  type InitiateRequestPdu,
  type MmsPdu,
  type NameListScope,
  type ObjectName,
  ObjectClass,
  type TypeSpecification,
  type VariableAccessSpecification,
  type WriteResult,
} from "@mms/pdu";
import { type CallOptions, type MmsAssociation, MmsClientCore, type MmsClientOptions } from "./client-core";
import { MmsDataAccessError, MmsProtocolError, MmsUsageError } from "./errors";
import { acceptInitiateResponse } from "./initiate";

// Re-exported so that modules built on the client can import them from here.
export type { CallOptions, InformationReport, MmsAssociation, MmsClientOptions } from "./client-core";

/** A variable: an ObjectName or its text form `DOMAIN/ITEM`, `ITEM` (VMD), `@ITEM` (association). */
export type VariableRef = ObjectName | string;

/** A variable plus an alternate access (ISO 9506-2 §14.4.3). */
export interface VariableAccess {
  readonly name: VariableRef;
  readonly alternateAccess?: AlternateAccess;
}

/** Converts the text form of a name. */
export function objectName(ref: VariableRef): ObjectName {
  if (typeof ref !== "string") return ref;
  const slash = ref.indexOf("/");
  if (slash > 0) return { scope: "domain", domainId: ref.slice(0, slash), itemId: ref.slice(slash + 1) };
  if (ref.startsWith("@")) return { scope: "aa", itemId: ref.slice(1) };
  return { scope: "vmd", itemId: ref };
}

const listOf = (items: readonly (VariableRef | VariableAccess)[]): VariableAccessSpecification => ({
  kind: "listOfVariable",
  list: items.map((it) =>
    typeof it === "string" || "scope" in it
      ? { variable: { kind: "name", name: objectName(it) }, alternateAccess: undefined }
      : { variable: { kind: "name", name: objectName(it.name) }, alternateAccess: it.alternateAccess },
  ),
});

function singleResult(r: ConfirmedServiceResponse): AccessResult {
  const x = r.service === "read" && r.results.length === 1 ? r.results[0] : undefined;
  if (!x) throw new MmsProtocolError("read: expected exactly one result");
  return x;
}

function singleValue(r: ConfirmedServiceResponse): Data {
  const x = singleResult(r);
  if (!x.success) throw new MmsDataAccessError("read", x.error);
  return x.data;
}

type Resp<S extends ConfirmedServiceResponse["service"]> = Extract<ConfirmedServiceResponse, { service: S }>;

/**
 * An MMS client on one association: typed confirmed services pipelined by invokeID up to the
 * negotiated limit, InformationReports as an async iterable, orderly conclude and abort.
 * Create it with `connect()` (the whole stack) or `MmsClient.over()` (an association you built).
 */
export class MmsClient extends MmsClientCore {
  /**
   * Runs MMS on an association you established yourself with `associate()` of @mms/acse-auth
   * (its AARQ user data being `encodeMmsPdu(initiateRequest(...))`): the initiate request and
   * response are taken from `requestUserData` / `responseUserData`.
   */
  static over(
    association: MmsAssociation & {
      readonly requestUserData: Uint8Array;
      readonly responseUserData: Uint8Array | undefined;
    },
    options: MmsClientOptions = {},
  ): MmsClient {
    let initiate: MmsPdu;
    try {
      initiate = decodeMmsPdu(association.requestUserData);
    } catch (e) {
      throw new MmsUsageError("the association's request user data is not an MMS PDU", { cause: e });
    }
    if (initiate.type !== "initiateRequest") {
      throw new MmsUsageError("the association's request user data is not an initiate-RequestPDU");
    }
    return MmsClient.overWith(association, initiate, association.responseUserData, options);
  }

  /** As `over`, with the initiate-RequestPDU and the AARE's user data given explicitly. */
  static overWith(
    association: MmsAssociation,
    initiate: InitiateRequestPdu,
    responseUserData: Uint8Array | undefined,
    options: MmsClientOptions = {},
  ): MmsClient {
    const negotiated = acceptInitiateResponse(initiate, responseUserData);
    return new MmsClient(association, negotiated, options);
  }

  private async call<S extends ConfirmedServiceResponse["service"]>(
    request: ConfirmedServiceRequest & { service: S },
    options: CallOptions | undefined,
  ): Promise<Resp<S>> {
    return (await this.request(request, options)) as Resp<S>;
  }

  // --- typed services -------------------------------------------------------------------

  /** Identify (ISO 9506-2 §10.3). */
  async identify(
    options?: CallOptions,
  ): Promise<{ vendorName: string; modelName: string; revision: string }> {
    const r = await this.call({ service: "identify" }, options);
    return { vendorName: r.vendorName, modelName: r.modelName, revision: r.revision };
  }

  /** Status (ISO 9506-2 §10.1). */
  async status(
    extendedDerivation = false,
    options?: CallOptions,
  ): Promise<{ logicalStatus: number; physicalStatus: number }> {
    const r = await this.call({ service: "status", extendedDerivation }, options);
    return { logicalStatus: r.logicalStatus, physicalStatus: r.physicalStatus };
  }

  /** GetNameList (ISO 9506-2 §10.5), every page (following moreFollows with continueAfter). */
  async getNameList(
    objectClass: number,
    scope: NameListScope,
    options?: CallOptions & { maxPages?: number },
  ): Promise<string[]> {
    const out: string[] = [];
    let continueAfter: string | undefined;
    const maxPages = options?.maxPages ?? 10_000;
    for (let page = 0; page < maxPages; page++) {
      const r = await this.call({ service: "getNameList", objectClass, scope, continueAfter }, options);
      out.push(...r.identifiers);
      if (!r.moreFollows) return out;
      const last = r.identifiers[r.identifiers.length - 1];
      if (last === undefined || last === continueAfter) {
        throw new MmsProtocolError("getNameList: moreFollows without progress");
      }
      continueAfter = last;
    }
    throw new MmsProtocolError(`getNameList: more than ${maxPages} pages`);
  }

  /** Domain names (IEC 61850 logical devices). */
  getDomainNames(options?: CallOptions): Promise<string[]> {
    return this.getNameList(ObjectClass.domain, { kind: "vmd" }, options);
  }

  /** Variable names of a domain (or the VMD when domainId is undefined). */
  getVariableNames(domainId: string | undefined, options?: CallOptions): Promise<string[]> {
    return this.getNameList(
      ObjectClass.namedVariable,
      domainId === undefined ? { kind: "vmd" } : { kind: "domain", domainId },
      options,
    );
  }

  /** Named variable list names of a domain, the VMD (undefined) or the association (`"aa"`). */
  getVariableListNames(domainId: string | undefined | "aa", options?: CallOptions): Promise<string[]> {
    const scope: NameListScope =
      domainId === "aa"
        ? { kind: "aa" }
        : domainId === undefined
          ? { kind: "vmd" }
          : { kind: "domain", domainId };
    return this.getNameList(ObjectClass.namedVariableList, scope, options);
  }

  /** GetVariableAccessAttributes (ISO 9506-2 §14.9): the variable's type. */
  async getVariableAccessAttributes(
    name: VariableRef,
    options?: CallOptions,
  ): Promise<{ mmsDeletable: boolean; typeSpecification: TypeSpecification }> {
    const r = await this.call(
      { service: "getVariableAccessAttributes", name: objectName(name), address: undefined },
      options,
    );
    return { mmsDeletable: r.mmsDeletable, typeSpecification: r.typeSpecification };
  }

  /** Read of one variable: its AccessResult (a failure is a value, not an exception). */
  read(variable: VariableRef | VariableAccess, options?: CallOptions): Promise<AccessResult> {
    return this.request(
      { service: "read", specificationWithResult: false, variableAccessSpecification: listOf([variable]) },
      options,
    ).then(singleResult);
  }

  /** Read of one variable's value; a DataAccessError throws `MmsDataAccessError`. */
  readValue(variable: VariableRef | VariableAccess, options?: CallOptions): Promise<Data> {
    return this.request(
      { service: "read", specificationWithResult: false, variableAccessSpecification: listOf([variable]) },
      options,
    ).then(singleValue);
  }

  /** Read of several variables in one request: one AccessResult each, in order. */
  async readMany(
    variables: readonly (VariableRef | VariableAccess)[],
    options?: CallOptions,
  ): Promise<AccessResult[]> {
    const r = await this.call(
      { service: "read", specificationWithResult: false, variableAccessSpecification: listOf(variables) },
      options,
    );
    if (r.results.length !== variables.length) {
      throw new MmsProtocolError(`read: ${r.results.length} results for ${variables.length} variables`);
    }
    return [...r.results];
  }

  /** Read of a named variable list (an IEC 61850 data set): one AccessResult per member. */
  async readList(listName: VariableRef, options?: CallOptions): Promise<AccessResult[]> {
    const r = await this.call(
      {
        service: "read",
        specificationWithResult: false,
        variableAccessSpecification: { kind: "variableListName", name: objectName(listName) },
      },
      options,
    );
    return [...r.results];
  }

  /** Write of one variable: its WriteResult. */
  async write(
    variable: VariableRef | VariableAccess,
    value: Data,
    options?: CallOptions,
  ): Promise<WriteResult> {
    const [r] = await this.writeMany([variable], [value], options);
    if (!r) throw new MmsProtocolError("write: empty result");
    return r;
  }

  /** Write of one variable; a DataAccessError throws `MmsDataAccessError`. */
  async writeValue(
    variable: VariableRef | VariableAccess,
    value: Data,
    options?: CallOptions,
  ): Promise<void> {
    const r = await this.write(variable, value, options);
    if (!r.success) throw new MmsDataAccessError("write", r.error);
  }

  /** Write of several variables in one request. */
  async writeMany(
    variables: readonly (VariableRef | VariableAccess)[],
    values: readonly Data[],
    options?: CallOptions,
  ): Promise<WriteResult[]> {
    if (variables.length !== values.length) throw new MmsUsageError("writeMany: one value per variable");
    const r = await this.call(
      { service: "write", variableAccessSpecification: listOf(variables), listOfData: values },
      options,
    );
    if (r.results.length !== variables.length) {
      throw new MmsProtocolError(`write: ${r.results.length} results for ${variables.length} variables`);
    }
    return [...r.results];
  }

  /** Write of a named variable list: one value per member. */
  async writeList(
    listName: VariableRef,
    values: readonly Data[],
    options?: CallOptions,
  ): Promise<WriteResult[]> {
    const r = await this.call(
      {
        service: "write",
        variableAccessSpecification: { kind: "variableListName", name: objectName(listName) },
        listOfData: values,
      },
      options,
    );
    return [...r.results];
  }

  /** DefineNamedVariableList (ISO 9506-2 §14.12). */
  async defineNamedVariableList(
    listName: VariableRef,
    members: readonly (VariableRef | VariableAccess)[],
    options?: CallOptions,
  ): Promise<void> {
    const spec = listOf(members);
    await this.call(
      {
        service: "defineNamedVariableList",
        variableListName: objectName(listName),
        listOfVariable: (spec as Extract<VariableAccessSpecification, { kind: "listOfVariable" }>).list,
      },
      options,
    );
  }

  /** GetNamedVariableListAttributes (ISO 9506-2 §14.13): the members and whether it is deletable. */
  async getNamedVariableListAttributes(
    listName: VariableRef,
    options?: CallOptions,
  ): Promise<{ mmsDeletable: boolean; members: ObjectName[] }> {
    const r = await this.call(
      { service: "getNamedVariableListAttributes", variableListName: objectName(listName) },
      options,
    );
    const members: ObjectName[] = [];
    for (const it of r.listOfVariable) {
      if (it.variable.kind !== "name") throw new MmsProtocolError("list member is not a named variable");
      members.push(it.variable.name);
    }
    return { mmsDeletable: r.mmsDeletable, members };
  }

  /** DeleteNamedVariableList (ISO 9506-2 §14.14) of one list; true when it was deleted. */
  async deleteNamedVariableList(listName: VariableRef, options?: CallOptions): Promise<boolean> {
    const r = await this.call(
      {
        service: "deleteNamedVariableList",
        scopeOfDelete: 0,
        listOfVariableListName: [objectName(listName)],
        domainName: undefined,
      },
      options,
    );
    return r.numberDeleted > 0;
  }
}
