/** The simulator's Stream mode (docs/dingtalk-facts.md §12): the hub, its endpoints and its public types. */
export * from './types';
export { StreamHub, DEFAULT_STREAM_OPTIONS, DEFAULT_DISCONNECT_REASON } from './hub';
export { GATEWAY_OPEN_PATH, STREAM_CONNECT_PATH, handleGatewayOpen } from './gateway';
export { createStreamUpgradeHandler, type StreamUpgradeHandler } from './upgrade';
export { STREAM_ADMIN_ACTIONS } from './admin-actions';
export { streamAdminClient, type SimStreamClient } from './admin-client';
export { TICKET_LIFETIME_MS } from './tickets';
export { contactEventsBetween, type ContactChange } from './contact-events';
