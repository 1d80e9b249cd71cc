/**
 * The structural rules of an AFD 1.0 message, checked on the model: by the reader after it built
 * one from XML and by the writer before it writes one, so both refuse the same things with the
 * same AfdError.
 */
import { clip } from '../xml/index.js';
import { AfdError, AfdErrorType, AfdGenericLabel, type AfdEntity, type AfdMessage, type AfdStructureOptions } from './types.js';

/** An entity code: two characters, a capital letter first ("PP", "VP", "A1"). */
export const ENTITY_CODE = /^[A-Z][A-Z0-9]$/;
/** A label: entity code, underscore, label name ("PP_NUMMER"). */
export const LABEL = /^([A-Z][A-Z0-9])_([A-Z0-9]{1,16})$/;
/** A message kind is a word ("Contractdocument"), which tells it apart from codes and labels. */
export const MESSAGE_KIND = /^[A-Z][a-z][A-Za-z0-9]{0,62}$/;
/** A sequence number: digits (leading zeros allowed, as written), value at least 1. */
const SEQUENCE = /^[0-9]{1,9}$/;

export const isEntityCode = (name: string): boolean => ENTITY_CODE.test(name);
export const isLabel = (name: string): boolean => LABEL.test(name);

/** The full label of a generic label in an entity: genericLabel("PP", "VOLGNUM") = "PP_VOLGNUM". */
export const genericLabel = (code: string, name: string): string => `${code}_${name}`;

/** The entity's VOLGNUM as a number; undefined when absent or empty (validate first for the rest). */
export function sequenceOf(entity: AfdEntity): number | undefined {
  const raw = entity.attributes[genericLabel(entity.code, AfdGenericLabel.Sequence)];
  return raw === undefined || raw === '' || !SEQUENCE.test(raw) ? undefined : Number(raw);
}

/** The entity's ENTREF raw value, undefined when absent or empty. */
export function referenceOf(entity: AfdEntity): string | undefined {
  const raw = entity.attributes[genericLabel(entity.code, AfdGenericLabel.Reference)];
  return raw === undefined || raw === '' ? undefined : raw;
}

/** Every entity of the message, depth first in document order. */
export function* walkEntities(message: AfdMessage): Generator<AfdEntity> {
  const stack: AfdEntity[] = [...message.entities].reverse();
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    yield e;
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i] as AfdEntity);
  }
}

const codeSequenceIndex = new WeakMap<AfdMessage, Set<string>>();

/**
 * One ENTREF convention (OURS, not from a public source): the reference is the target's entity
 * code followed by its VOLGNUM ("VP2" = the VP entity with VP_VOLGNUM 2, anywhere in the message).
 * Codes are always two characters, so the split is unambiguous.
 */
export function codeAndSequenceRef(ref: string, message: AfdMessage): boolean {
  const m = /^([A-Z][A-Z0-9])([0-9]{1,9})$/.exec(ref);
  if (!m) return false;
  let index = codeSequenceIndex.get(message);
  if (!index) {
    index = new Set();
    for (const e of walkEntities(message)) {
      const seq = sequenceOf(e);
      if (seq !== undefined) index.add(`${e.code}${seq}`);
    }
    codeSequenceIndex.set(message, index);
  }
  return index.has(`${m[1]}${Number(m[2])}`);
}

/** Throws the first structural problem of `message` as an AfdError; returns nothing when it is sound. */
export function checkAfdStructure(message: AfdMessage, options: AfdStructureOptions = {}): void {
  checkKind(message.kind, options.kinds);
  checkSiblings(message.entities, message.kind);
  const refs = options.entityRefs ?? 'opaque';
  const paths = entityPaths(message.kind, message.entities);
  message.entities.forEach((e, i) => checkEntity(e, paths[i] as string, message, refs));
}

export function checkKind(kind: string, kinds: readonly string[] | undefined): void {
  if (!MESSAGE_KIND.test(kind)) {
    throw new AfdError(
      AfdErrorType.NotAMessage,
      `AFD message root <${clip(kind)}> is not a message kind: the root names the kind, like <Contractdocument>`,
      { path: kind },
    );
  }
  if (kinds && !kinds.includes(kind)) {
    throw new AfdError(AfdErrorType.NotAMessage, `AFD message kind ${kind} is not accepted here (expected ${kinds.join(', ')})`, { path: kind });
  }
}

/** The paths of siblings, "Kind/PP[1]": position among same-coded siblings, 1-based (one pass: a message may hold thousands). */
export function entityPaths(parent: string, siblings: readonly AfdEntity[]): string[] {
  const counts = new Map<string, number>();
  return siblings.map((e) => {
    const n = (counts.get(e.code) ?? 0) + 1;
    counts.set(e.code, n);
    return `${parent}/${e.code}[${n}]`;
  });
}

function checkEntity(entity: AfdEntity, path: string, message: AfdMessage, refs: NonNullable<AfdStructureOptions['entityRefs']>): void {
  const { code } = entity;
  if (!ENTITY_CODE.test(code)) {
    throw new AfdError(AfdErrorType.UnknownElement, `AFD entity code ${JSON.stringify(clip(code))} at ${path} is not two characters like "PP"`, { path });
  }
  for (const [label, value] of Object.entries(entity.attributes)) {
    const m = LABEL.exec(label);
    const at = `${path}/${label}`;
    if (!m) throw new AfdError(AfdErrorType.UnknownElement, `AFD label ${JSON.stringify(clip(label))} at ${path} is not of the form ${code}_LABEL`, { path: at });
    if (m[1] !== code) {
      throw new AfdError(AfdErrorType.PrefixMismatch, `AFD label ${label} does not belong in entity ${code} (its prefix is ${m[1]}) at ${path}`, { path: at });
    }
    if (m[2] === AfdGenericLabel.Entity && value !== code) {
      throw new AfdError(AfdErrorType.EntityCodeMismatch, `AFD ${label} says ${JSON.stringify(clip(value))} in entity ${code} at ${path}`, { path: at });
    }
    if (m[2] === AfdGenericLabel.Sequence && value !== '' && !(SEQUENCE.test(value) && Number(value) >= 1)) {
      throw new AfdError(AfdErrorType.BadSequenceNumber, `AFD ${label} must be a positive whole number, got ${JSON.stringify(clip(value))} at ${path}`, {
        path: at,
      });
    }
  }
  const ref = referenceOf(entity);
  if (ref !== undefined && refs !== 'opaque' && !refs(ref, message)) {
    const label = genericLabel(code, AfdGenericLabel.Reference);
    throw new AfdError(AfdErrorType.DanglingReference, `AFD ${label} ${JSON.stringify(clip(ref))} at ${path} refers to nothing in this message`, {
      path: `${path}/${label}`,
    });
  }
  checkSiblings(entity.children, path);
  const paths = entityPaths(path, entity.children);
  entity.children.forEach((child, i) => checkEntity(child, paths[i] as string, message, refs));
}

/** Same-coded siblings must not share a VOLGNUM: it is what tells them apart. */
function checkSiblings(siblings: readonly AfdEntity[], parentPath: string): void {
  const seen = new Map<string, number>();
  siblings.forEach((e, i) => {
    const seq = sequenceOf(e);
    if (seq === undefined) return;
    const key = `${e.code}${seq}`;
    if (seen.has(key)) {
      const path = entityPaths(parentPath, siblings)[i] as string;
      throw new AfdError(
        AfdErrorType.DuplicateSequenceNumber,
        `AFD ${e.code}_${AfdGenericLabel.Sequence} ${seq} occurs twice among the ${e.code} entities of ${parentPath} (again at ${path})`,
        { path: `${path}/${e.code}_${AfdGenericLabel.Sequence}` },
      );
    }
    seen.set(key, i);
  });
}
