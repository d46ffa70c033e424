/** Protocol version spoken by this package. */
export const PROTOCOL_VERSION = 1;

/** The WebSocket subprotocol that negotiates protocol v1 (`Sec-WebSocket-Protocol`). */
export const SUBPROTOCOL = 'oxidite.v1';

/**
 * Prefix of the optional token subprotocol: browsers cannot set headers on a WebSocket, so a
 * client may offer `oxidite.v1, oxidite.token.<base64url token>`. The server never echoes it.
 */
export const TOKEN_SUBPROTOCOL_PREFIX = 'oxidite.token.';
