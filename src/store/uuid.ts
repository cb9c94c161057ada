/**
 * Ids of links and consents are UUIDs. An id from a client that is not one must read as
 * "not found", not reach PostgreSQL and fail there as a type error (an unmasked 500).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID in canonical text form. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
