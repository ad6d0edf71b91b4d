/**
 * DingTalk Stream mode, client side: a WebSocket client that receives an internal app's events
 * (the address-book changes among them) and hands each to a handler, acking by its outcome.
 * See docs/events.md for the console set-up and docs/dingtalk-facts.md §12 for the protocol.
 */
export {
  DingTalkStreamClient, PermanentEventError, PERMANENT_EVENT_ERROR_CODES, DEFAULT_CATCH_UP_AFTER_MS, DEFAULT_STREAM_UA,
  type StreamClientOptions, type StreamClientStatus, type StreamClientState, type StreamEventHandler, type StreamHandlerResult,
  type StreamGap, type StreamEventFailure,
} from './StreamClient';
export {
  CONTACT_EVENT_TYPES, MalformedEventError, toStreamEvent,
  type StreamEvent, type ContactEvent, type OtherStreamEvent, type ContactEventType, type ContactEventData, type UserDiffSnapshot,
  type UserIdsData, type DeptIdsData,
} from './events';
export { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff';
export { OPEN_CONNECTION_CALL } from './gateway';
