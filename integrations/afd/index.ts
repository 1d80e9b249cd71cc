/**
 * SIVI AFD 1.0, generic: labelled XML <-> a model of entities and raw labels, value helpers and
 * code lists. Counterpart mappings (RISK) are built on top and live with their counterpart.
 *
 *   readAfd(xml, { limits, kinds, entityRefs, longTextElements }) -> AfdMessage   throws AfdError
 *   readAfdOffThread(pool, xml, options) -> Promise<AfdMessage>                   the same in an XmlParsePool thread
 *   writeAfd(message, { kinds, entityRefs }) -> string (writeAfdUtf8 -> bytes)      throws AfdError
 *   parseAfdDate / formatAfdDate, parseAfdDecimal / formatAfdDecimal, parseAfdBoolean / formatAfdBoolean
 *   label(entity, 'NUMMER'), childrenOf(parent, code), entitiesAt(message, codes), afdEntity(code, labels, { sequence, children })
 *   afdCodeLists, lookupAfdCode(list, code, unknown[], at), defineAfdCodeList(json)
 */
export * from './types.js';
export { readAfd, readAfdOffThread, reviveAfdError, defaultAfdParseLimits } from './read.js';
export { writeAfd, writeAfdUtf8 } from './write.js';
export { afdEntity, childrenOf, entitiesAt, label } from './model.js';
export { checkAfdStructure, codeAndSequenceRef, genericLabel, isEntityCode, isLabel, referenceOf, sequenceOf, walkEntities } from './structure.js';
export { formatAfdBoolean, formatAfdDate, formatAfdDecimal, parseAfdBoolean, parseAfdDate, parseAfdDecimal } from './values.js';
export { afdCodeLists, defineAfdCodeList, lookupAfdCode, type AfdCodeEntry, type AfdCodeList, type UnknownAfdCode } from './code-lists.js';
