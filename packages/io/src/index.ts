export {
  type ByteChain,
  type ByteStream,
  type ChunkSink,
  type ChunkSubscription,
  type Clock,
  type CloseInfo,
  chainLength,
  concatChain,
  type MessageChannel,
  noTransportInfo,
  systemClock,
  type TlsInfo,
  type TransportInfo,
} from "./byte-stream";
export { AsyncQueue } from "./async-queue";
export { TransportClosedError, TransportTimeoutError, TransportUsageError } from "./errors";
export { type MemoryPairOptions, memoryPair } from "./memory-pair";
export {
  type SecurityEvent,
  type SecurityEventListener,
  type SecuritySeverity,
  securityEvent,
  severityOf,
} from "./security-event";
