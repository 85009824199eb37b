/** True when the service's OpenAPI document offers GET /me/notifications/stream (set at build time). */
declare const __NOTIFICATION_STREAM__: boolean;
