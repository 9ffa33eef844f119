import { connect } from "@mms/client";
const port = Number(process.argv[2]);
const c = await connect({
  transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
  authentication: "insecure-none",
});
console.log(await c.identify());
const domains = await c.getDomainNames();
const names = await c.getVariableNames(domains[0]!);
const leaves = names.filter((n, i) => !(names[i + 1] ?? "").startsWith(`${n}$`));
console.log(domains, names.length, "leaves", leaves.length);
let ok = 0;
const bad: string[] = [];
for (let i = 0; i < leaves.length; i += 20) {
  const batch = leaves.slice(i, i + 20);
  const r = await c.readMany(batch.map((n) => `${domains[0]}/${n}`));
  r.forEach((x, j) => (x.success ? ok++ : bad.push(`${batch[j]}:${x.error}`)));
}
console.log("read ok", ok, "failed", bad);
for (const ln of names.filter((n) => !n.includes("$"))) {
  const t = await c.getVariableAccessAttributes(`${domains[0]}/${ln}`);
  console.log(ln, t.typeSpecification.type);
}
console.log(
  "write vendor",
  await c.write(`${domains[0]}/GGIO1$DC$NamPlt$vendor`, { type: "visibleString", value: "ACME" }),
);
console.log("lists", await c.getVariableListNames(domains[0]!));
await c.defineNamedVariableList(`${domains[0]}/LLN0$TestDS`, [
  `${domains[0]}/GGIO1$MX$AnIn1$mag$f`,
  `${domains[0]}/GGIO1$ST$Ind1$stVal`,
] as never);
console.log("ds", await c.readList(`${domains[0]}/LLN0$TestDS`));
console.log(
  "en",
  await c.write(`${domains[0]}/LLN0$RP$EventsRCB01$RptEna`, { type: "boolean", value: true }),
);
console.log("gi", await c.write(`${domains[0]}/LLN0$RP$EventsRCB01$GI`, { type: "boolean", value: true }));
const it = c.reports()[Symbol.asyncIterator]();
const rep = await Promise.race([it.next(), new Promise((r) => setTimeout(() => r("timeout"), 3000))]);
console.log("report", JSON.stringify(rep, (_k, v) => (typeof v === "bigint" ? String(v) : v)).slice(0, 400));
await c.conclude();
console.log("concluded");
