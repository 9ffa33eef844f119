// @peculiar/x509 needs the Reflect metadata polyfill loaded before it (toolchain.md).
import "reflect-metadata";

export {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509Certificate,
  X509Crl,
} from "@peculiar/x509";
