import { isNotificationUserId } from '@oxidite/protocol';
import { ChatLimit } from '../shared/topics';

/** Who logged in: a stable id for topics and inboxes, and the name shown to others. */
export interface Identity {
  /** The normalised name: lowercase `a-z 0-9 . _ -`, at most 32 characters. */
  readonly id: string;
  /** The name as typed, trimmed, with runs of white space collapsed. */
  readonly name: string;
}

/**
 * Turns a typed name into an identity, or undefined when nothing usable is left. `Ada Lovelace`
 * and ` ada  lovelace ` are the same user `ada-lovelace`; `<b>` becomes `b` (and is shown as typed,
 * as text).
 */
export function identityOf(input: unknown): Identity | undefined {
  if (typeof input !== 'string') return undefined;
  const name = input.trim().replace(/\s+/g, ' ');
  if (name.length === 0 || name.length > ChatLimit.MAX_NAME_LENGTH) return undefined;
  const id = normaliseName(name);
  return id ? { id, name } : undefined;
}

/** The user id of a name: lowercase, accents dropped, anything else a single `-`, at most 32 characters. */
export function normaliseName(name: string): string | undefined {
  const id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return isNotificationUserId(id) ? id : undefined;
}
