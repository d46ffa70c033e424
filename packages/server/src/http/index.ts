/** What the server's HTTP endpoints share. */
export { readRequestBody } from './read-body';
export type { RequestBody } from './read-body';
