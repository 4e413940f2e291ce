/**
 * Duplicate map keys, found in one pass. The yaml library's own check (`uniqueKeys`) compares
 * each new key with every key before it in the map: a 32,000-node map took half a minute.
 * We parse with it off and look here with a set per map, with the library's notion of "the
 * same key" (the same scalar value; collections never equal each other).
 */
import { isMap, isScalar, visit, YAMLParseError, type Document } from 'yaml';

export function firstDuplicateKey(doc: Document): YAMLParseError | undefined {
  let first: YAMLParseError | undefined;
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const value = pair.key.value;
        if (!seen.has(value)) {
          seen.add(value);
          continue;
        }
        const at = pair.key.range?.[0] ?? 0;
        if (!first || at < first.pos[0]) first = new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique');
        break;
      }
    },
  });
  return first;
}
