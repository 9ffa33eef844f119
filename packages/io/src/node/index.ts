export { fromSocket, KEEPALIVE_IDLE_MS, transportInfoOf } from "./socket";
export {
  type ConnectTcpOptions,
  connectTcp,
  type ListenTcpOptions,
  listenTcp,
  type StreamListener,
} from "./tcp";
export { publishSecurityEvent, SECURITY_CHANNEL, subscribeSecurityEvents } from "./diagnostics";
