/**
 * Form fields of the process designer (*procesontwerper*) that show the validation problems the
 * API reports for them. The API points at a problem with a JSON pointer into the definition
 * (`/steps/2/from`); every field here owns one pointer, and a problem whose pointer is deeper
 * than any field (`/steps/2/from/1`) is shown at the nearest field above it.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { ProcessDraft } from '../../types';

export type Problem = ProcessDraft['validation']['problems'][number];

/** The element id of the field that owns `pointer` (pointer tokens are kebab-case codes and numbers). */
export const fieldId = (pointer: string): string => `pd${pointer.replace(/[^a-zA-Z0-9-]/g, '_')}`;

/** The nearest pointer in `known` at or above `pointer` ('' when none: shown in the summary only). */
export function anchorOf(pointer: string, known: ReadonlySet<string>): string {
  let p = pointer === '/' ? '' : pointer;
  while (p && !known.has(p)) p = p.slice(0, p.lastIndexOf('/'));
  return p;
}

export interface ProblemIndex {
  /** Problems (errors and warnings) shown at the field owning `pointer`. */
  at(pointer: string): { problem: Problem; warning: boolean }[];
}

export const ProblemContext = createContext<ProblemIndex>({ at: () => [] });

export function indexProblems(problems: Problem[], warnings: Problem[], known: ReadonlySet<string>): ProblemIndex {
  const map = new Map<string, { problem: Problem; warning: boolean }[]>();
  const add = (problem: Problem, warning: boolean): void => {
    const anchor = anchorOf(problem.path, known);
    map.set(anchor, [...(map.get(anchor) ?? []), { problem, warning }]);
  };
  problems.forEach((p) => add(p, false));
  warnings.forEach((p) => add(p, true));
  return { at: (pointer) => map.get(pointer) ?? [] };
}

/** The messages at a field, referenced by the field's aria-describedby. */
export function FieldProblems({ pointer }: { pointer: string }) {
  const found = useContext(ProblemContext).at(pointer);
  if (found.length === 0) return null;
  return (
    <ul id={`${fieldId(pointer)}-problems`} className="plain field-problems">
      {found.map(({ problem, warning }, i) => (
        <li key={i} className={warning ? 'field-warning' : 'field-error'}>
          {warning ? 'Waarschuwing' : 'Fout'}: {problem.message}
        </li>
      ))}
    </ul>
  );
}

function useFieldState(pointer: string): { invalid: boolean; describedBy: string | undefined } {
  const found = useContext(ProblemContext).at(pointer);
  return {
    invalid: found.some((f) => !f.warning),
    describedBy: found.length > 0 ? `${fieldId(pointer)}-problems` : undefined,
  };
}

export function TextInput(props: { pointer: string; label: string; value: string; onChange: (v: string) => void; hint?: string; type?: 'text' | 'number' }) {
  const { pointer, label, value, onChange, hint, type } = props;
  const { invalid, describedBy } = useFieldState(pointer);
  const id = fieldId(pointer);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type ?? 'text'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={[describedBy, hint ? `${id}-hint` : undefined].filter(Boolean).join(' ') || undefined}
      />
      {hint ? (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      ) : null}
      <FieldProblems pointer={pointer} />
    </div>
  );
}

export function SelectInput(props: { pointer: string; label: string; value: string; onChange: (v: string) => void; options: readonly (readonly [string, string])[] }) {
  const { pointer, label, value, onChange, options } = props;
  const { invalid, describedBy } = useFieldState(pointer);
  const id = fieldId(pointer);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid || undefined} aria-describedby={describedBy}>
        {options.some(([v]) => v === value) ? null : <option value={value}>{value || '(kies)'}</option>}
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      <FieldProblems pointer={pointer} />
    </div>
  );
}

/** A group of fields (a step, an action) that owns a pointer itself: focusable so the summary can jump to it. */
export function Group({ pointer, legend, children, tools }: { pointer: string; legend: string; children: ReactNode; tools?: ReactNode }) {
  const { describedBy } = useFieldState(pointer);
  return (
    <fieldset id={fieldId(pointer)} tabIndex={-1} aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {tools ? <div className="actions item-tools">{tools}</div> : null}
      <FieldProblems pointer={pointer} />
      {children}
    </fieldset>
  );
}

/** Move up / move down / remove buttons of one list item. */
export function ItemTools({ what, index, count, onMove, onRemove }: { what: string; index: number; count: number; onMove: (from: number, to: number) => void; onRemove: (index: number) => void }) {
  return (
    <>
      <button type="button" className="secondary" disabled={index === 0} onClick={() => onMove(index, index - 1)}>
        Omhoog<span className="visually-hidden"> ({what})</span>
      </button>
      <button type="button" className="secondary" disabled={index === count - 1} onClick={() => onMove(index, index + 1)}>
        Omlaag<span className="visually-hidden"> ({what})</span>
      </button>
      <button type="button" className="danger" onClick={() => onRemove(index)}>
        Verwijderen<span className="visually-hidden"> ({what})</span>
      </button>
    </>
  );
}

/** Moves an item of a list (a new array). */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  if (item !== undefined) copy.splice(to, 0, item);
  return copy;
}
