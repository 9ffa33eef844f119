import { type MmsClient, MmsDataAccessError } from "@mms/client";
import type { CliReport, CliSession, DomainItem } from "./session";

const ref = (n: DomainItem): string => `${n.domainId}/${n.itemId}`;

/** Adapts an MmsClient to the CLI's narrow session interface. */
export function sessionOf(
  client: MmsClient,
  security: CliSession["security"],
  timeoutMs: number,
): CliSession {
  const opts = { timeoutMs };
  return {
    security,
    identify: async () => {
      const id = await client.identify(opts);
      return { vendor: id.vendorName, model: id.modelName, revision: id.revision };
    },
    domains: () => client.getDomainNames(opts),
    variables: (domain) => client.getVariableNames(domain, opts),
    lists: (domain) => client.getVariableListNames(domain, opts),
    typeOf: async (n) => (await client.getVariableAccessAttributes(ref(n), opts)).typeSpecification,
    read: (names) => client.readMany(names.map(ref), opts),
    readList: (name) => client.readList(ref(name), opts),
    write: (name, value) => client.write(ref(name), value, opts),
    enableReports: async (rcb) => {
      // IEC 61850-8-1 §17: enable the URCB, then ask for a general interrogation.
      const base = ref(rcb);
      const en = await client.write(`${base}$RptEna`, { type: "boolean", value: true }, opts);
      if (!en.success) throw new MmsDataAccessError("write", en.error);
      await client.write(`${base}$GI`, { type: "boolean", value: true }, opts).catch(() => undefined);
    },
    reports: () => reportsOf(client),
    close: async () => {
      try {
        await client.conclude(opts);
      } catch {
        client.abort();
      }
    },
  };
}

async function* reportsOf(client: MmsClient): AsyncIterable<CliReport> {
  for await (const r of client.reports()) {
    const spec = r.variableAccessSpecification;
    const name =
      spec.kind === "variableListName"
        ? spec.name.scope === "domain"
          ? `${spec.name.domainId}/${spec.name.itemId}`
          : spec.name.itemId
        : spec.list
            .map((v) =>
              v.variable.kind === "name"
                ? v.variable.name.scope === "domain"
                  ? `${v.variable.name.domainId}/${v.variable.name.itemId}`
                  : v.variable.name.itemId
                : "?",
            )
            .join(",");
    yield { name, values: r.results };
  }
}
