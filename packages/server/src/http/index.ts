/** What the server's HTTP endpoints share. */
export { HttpErrorCode, isJsonRequest, readJson, sendError, sendJson } from './json-answers';
export { readRequestBody } from './read-body';
export type { RequestBody } from './read-body';
