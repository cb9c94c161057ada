/**
 * Finding a field's instances in a GraphQL response, with the paths errors would carry
 * (`["accounts", 0, "balance"]`), so a denial can be checked instance by instance.
 */

/** One occurrence of a field in a response. */
export interface Instance {
  path: Array<string | number>;
  value: unknown;
}

/** Every occurrence of the field reached through `keys`; lists on the way are expanded, the field's own value is not. */
export function instancesAt(data: unknown, keys: string[]): Instance[] {
  let level: Instance[] = [{ path: [], value: data }];
  keys.forEach((key, index) => {
    const next: Instance[] = [];
    for (const { path, value } of level) {
      if (value === null || typeof value !== "object" || !(key in value)) continue;
      const child = (value as Record<string, unknown>)[key];
      if (index === keys.length - 1) next.push({ path: [...path, key], value: child });
      else expandLists(child, [...path, key], next);
    }
    level = next;
  });
  return level;
}

function expandLists(value: unknown, path: Array<string | number>, out: Instance[]): void {
  if (Array.isArray(value)) value.forEach((item, i) => expandLists(item, [...path, i], out));
  else out.push({ path, value });
}

/** A response path without list indices: comparable with a route's keys. */
export function withoutIndices(path: ReadonlyArray<string | number>): string[] {
  return path.filter((p): p is string => typeof p === "string");
}

/** Whether the response holds any non-null value at the route's field. */
export function delivered(data: unknown, keys: string[]): boolean {
  return instancesAt(data, keys).some((i) => i.value !== null && i.value !== undefined);
}
