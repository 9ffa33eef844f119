export { fromSocket, transportInfoOf } from "./socket";
export { publishSecurityEvent, SECURITY_CHANNEL, subscribeSecurityEvents } from "./diagnostics";
