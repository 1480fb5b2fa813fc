import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];

const MEMOISED = Symbol.for('leadline.class-validator.memoised');

/**
 * class-validator finds a class's rules on every validation by walking every class it knows (for inherited rules:
 * MetadataStorage.getTargetValidationMetadatas), for the payload and for each nested object in it. With the event
 * catalogue and every DTO registered, that walk was over 1% of each service's CPU in bench/e2e. The rules are
 * registered by decorators as modules load and never change afterwards, so the answer is remembered per class and
 * options, and forgotten whenever a rule is added. Installed once per process, for Nest's ValidationPipe as well.
 */
export function memoiseValidationMetadata(storage: Storage = getMetadataStorage()): void {
  const marked = storage as Storage & { [MEMOISED]?: true };
  if (marked[MEMOISED]) return;
  marked[MEMOISED] = true;
  let answers = new WeakMap<object, Map<string, ReturnType<Lookup>>>();
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (metadata) => {
    answers = new WeakMap();
    add(metadata);
  };
  // Each validation of an object also groups its class's rules by property, again: remembered per rule list, which
  // the lookup below hands out unchanged until a rule is added (then new lists, so new groups).
  const grouped = new WeakMap<object, ReturnType<Storage['groupByPropertyName']>>();
  const group = storage.groupByPropertyName.bind(storage);
  storage.groupByPropertyName = (metadata) => {
    let byProperty = grouped.get(metadata);
    if (!byProperty) grouped.set(metadata, byProperty = group(metadata));
    return byProperty;
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${(groups ?? []).join('\u0001')}`;
    let byOptions = answers.get(target);
    if (!byOptions) answers.set(target, byOptions = new Map());
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, found = lookup(target, schema, always, strictGroups, groups));
    return found;
  };
}
