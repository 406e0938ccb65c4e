// The bridge: typed wrappers over the transport. Pages import from here, never from transport.ts.
export { system } from './system';
export { jobs } from './jobs';
export { settings, SETTING_KEYS } from './settings';
export { auth } from './auth';
export { ApiError, isApiError, errorMessage } from './errors';
export type { FieldError, ErrorCode } from './errors';
export { getConnection, subscribeConnection, onReconnect, transportKind } from './transport';
export type { ConnectionState, ConnectionStatus, TransportKind } from './transport';
export * from './types';
export * from './machines';
export * from './templates';
export * from './onboarding';
export * from './models';
export * from './fleet';
export * from './datasets';
