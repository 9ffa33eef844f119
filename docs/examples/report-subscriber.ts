/**
 * Subscribes to IEC 61850 reports: enables an unbuffered report control block, asks for a
 * general interrogation, prints the InformationReports it receives, then disables it.
 *
 *   pnpm mms serve --port 10102 &
 *   pnpm exec tsx --conditions=@mms/source docs/examples/report-subscriber.ts 127.0.0.1 10102 5
 *
 * Reports arrive as an async iterable with a bounded buffer (`reportBufferSize`) and an explicit
 * overflow policy (`reportOverflow`).
 */
import { connect } from "@mms/client";

const [host = "127.0.0.1", port = "102", count = "5"] = process.argv.slice(2);
const rcb = "simpleIOGenericIO/LLN0$RP$MeasurementsRCB01";

const client = await connect({
  transport: { kind: "insecure-tcp", host, port: Number(port) },
  authentication: "insecure-none",
  reportBufferSize: 100,
  reportOverflow: "drop-oldest",
});
try {
  await client.writeValue(`${rcb}$RptEna`, { type: "boolean", value: true });
  await client.writeValue(`${rcb}$GI`, { type: "boolean", value: true });
  let n = 0;
  for await (const report of client.reports()) {
    const values = report.results.map((r) => (r.success ? r.data.value : `error ${r.error}`));
    console.log(`report ${++n}:`, values.slice(0, 4), `(${values.length} values)`);
    if (n >= Number(count)) break;
  }
  await client.writeValue(`${rcb}$RptEna`, { type: "boolean", value: false });
} finally {
  await client.conclude();
}
