import { CliError, ExitCode } from "../exit-codes";
import type { SessionFactory } from "./session";

/** Opens a CliSession over @mms/client (wired when @mms/client lands). */
export const openSession: SessionFactory = async () => {
  throw new CliError(ExitCode.unavailable, "cli", "the MMS client is not available in this build yet");
};
