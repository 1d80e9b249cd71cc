/**
 * The draft of a process as a form (*concept bewerken*): statuses with their category, steps
 * with the statuses they may be taken from, typed actions with their parameters, and the SX
 * mapping (lender status code -> system status). Saved as a whole with PUT /process-drafts/:key
 * (with the draft's base version, which the API uses to refuse publishing an outdated draft);
 * the answer's validation problems are shown at the field they point to and in a summary at
 * the top that links to the fields.
 */
import { useMemo, useState } from 'react';
import { errorText, request } from '../../api';
import { categoryLabel } from '../../labels';
import type { ProcessDefinition, ProcessDraft } from '../../types';
import { ErrorAlert, Info } from '../Messages';
import { fieldId, Group, indexProblems, ItemTools, moved, ProblemContext, SelectInput, TextInput, type Problem } from './fields';

type Step = ProcessDefinition['steps'][number];
type Status = ProcessDefinition['statuses'][number];
type Action = Step['actions'][number];
type ActionKind = Action['kind'];
type Mapping = NonNullable<ProcessDefinition['lenderStatuses']>[number];

interface Param {
  name: string;
  label: string;
  type: 'text' | 'int' | 'intList' | 'select';
  options?: readonly (readonly [string, string])[];
}

const assignees = [
  ['adviser', 'Adviseur'],
  ['backoffice', 'Backoffice'],
] as const;

/** Every action kind the platform can perform, its Dutch name, its parameters and a new one's values. */
const actionKinds: Record<ActionKind, { label: string; params: Param[]; fresh: () => Action }> = {
  sendHdnApplication: {
    label: 'HDN-aanvraag (AX) versturen',
    params: [
      { name: 'watchdogMinutes', label: 'Bewaking (minuten tot SX09)', type: 'int' },
      { name: 'watchdogTask', label: 'Taak als de ontvangst uitblijft', type: 'text' },
    ],
    fresh: () => ({ kind: 'sendHdnApplication', watchdogMinutes: 15, watchdogTask: 'Ontvangst aanvraag controleren' }),
  },
  sendMail: {
    label: 'Mail versturen',
    params: [
      { name: 'template', label: 'Mailsjabloon', type: 'text' },
      { name: 'to', label: 'Aan', type: 'select', options: [['applicants', 'Alle aanvragers'], ['firstApplicant', 'Eerste aanvrager']] },
    ],
    fresh: () => ({ kind: 'sendMail', template: '', to: 'applicants' }),
  },
  sendPortalActivation: {
    label: 'Activatielink portaal versturen',
    params: [{ name: 'template', label: 'Mailsjabloon', type: 'text' }],
    fresh: () => ({ kind: 'sendPortalActivation', template: 'portal-activation' }),
  },
  createTask: {
    label: 'Taak aanmaken',
    params: [
      { name: 'title', label: 'Titel', type: 'text' },
      { name: 'assignee', label: 'Voor', type: 'select', options: assignees },
      { name: 'dueInDays', label: 'Termijn (dagen)', type: 'int' },
      { name: 'dueFromInput', label: 'Termijn uit invoerveld', type: 'text' },
    ],
    fresh: () => ({ kind: 'createTask', title: '', assignee: 'adviser' }),
  },
  generateDocument: {
    label: 'Document maken',
    params: [
      { name: 'template', label: 'Documentsjabloon', type: 'text' },
      { name: 'documentType', label: 'Documentsoort', type: 'text' },
    ],
    fresh: () => ({ kind: 'generateDocument', template: '', documentType: '' }),
  },
  setDossierStatus: {
    label: 'Dossierstatus zetten',
    params: [{ name: 'status', label: 'Dossierstatus', type: 'select', options: [['prospect', 'Prospect'], ['client', 'Klant']] }],
    fresh: () => ({ kind: 'setDossierStatus', status: 'client' }),
  },
  createChecklist: {
    label: 'Stukkenlijst maken',
    params: [{ name: 'profileFromInput', label: 'Klantprofiel uit invoerveld', type: 'text' }],
    fresh: () => ({ kind: 'createChecklist', profileFromInput: '' }),
  },
  registerContactMoment: { label: 'Contactmoment registreren', params: [], fresh: () => ({ kind: 'registerContactMoment' }) },
  waitForDate: {
    label: 'Datum bewaken',
    params: [
      { name: 'deadline', label: 'Naam van de termijn', type: 'text' },
      { name: 'dateFromInput', label: 'Datum uit invoerveld', type: 'text' },
      { name: 'remindDaysBefore', label: 'Herinneren (dagen ervoor, komma-gescheiden)', type: 'intList' },
    ],
    fresh: () => ({ kind: 'waitForDate', deadline: '', dateFromInput: '', remindDaysBefore: [], reminder: {} }),
  },
};

const kindOptions = (Object.keys(actionKinds) as ActionKind[]).map((k) => [k, actionKinds[k].label] as const);
const categoryOptions = (['new', 'running', 'ended'] as const).map((c) => [c, categoryLabel[c] ?? c] as const);

/** The pointers the form has a field (or group) for: problems deeper than these show at the nearest one. */
function knownPointers(def: ProcessDefinition): Set<string> {
  const known = new Set(['/name', '/initialStatus', '/statuses', '/steps', '/lenderStatuses']);
  def.statuses.forEach((_, i) => ['', '/code', '/label', '/category'].forEach((f) => known.add(`/statuses/${i}${f}`)));
  def.steps.forEach((step, j) => {
    ['', '/id', '/label', '/from', '/to'].forEach((f) => known.add(`/steps/${j}${f}`));
    step.actions.forEach((a, k) => {
      known.add(`/steps/${j}/actions/${k}`);
      known.add(`/steps/${j}/actions/${k}/kind`);
      (actionKinds[a.kind]?.params ?? []).forEach((p) => known.add(`/steps/${j}/actions/${k}/${p.name}`));
    });
  });
  (def.lenderStatuses ?? []).forEach((_, m) => ['', '/code', '/status'].forEach((f) => known.add(`/lenderStatuses/${m}${f}`)));
  return known;
}

/** Dutch names of the definition's fields, as the form labels them. */
const fieldNames: Record<string, string> = {
  code: 'Code',
  id: 'Code',
  label: 'Omschrijving',
  category: 'Categorie',
  from: 'Toegestaan vanuit',
  to: 'Naar status',
  kind: 'Soort actie',
  template: 'Sjabloon',
  status: 'Status',
  actions: 'Acties',
  input: 'Invoer',
  guard: 'Voorwaarden',
};
const fieldName = (f: string | undefined): string => (f ? ` › ${fieldNames[f] ?? f}` : '');

/** Where a pointer is, in words (for the summary at the top). */
export function placeOf(def: ProcessDefinition, pointer: string): string {
  const [, list, index, field, sub, subField] = pointer.split('/');
  const n = Number(index);
  if (list === 'statuses' && def.statuses[n]) return `Status ${n + 1} (${def.statuses[n].label || def.statuses[n].code})${fieldName(field)}`;
  if (list === 'steps' && def.steps[n]) {
    const step = `Stap ${n + 1} (${def.steps[n].label || def.steps[n].id})`;
    if (field === 'actions' && sub !== undefined) return `${step} › actie ${Number(sub) + 1}${fieldName(subField)}`;
    return `${step}${fieldName(field)}`;
  }
  if (list === 'lenderStatuses') return `SX-koppeling ${n + 1}${fieldName(field)}`;
  const top: Record<string, string> = { name: 'Naam van het proces', initialStatus: 'Beginstatus', productType: 'Productsoort', statuses: 'Statussen', steps: 'Stappen' };
  return (list && top[list]) || pointer || 'Proces';
}

function jumpTo(pointer: string, known: ReadonlySet<string>): void {
  let p = pointer;
  while (p && !known.has(p)) p = p.slice(0, p.lastIndexOf('/'));
  document.getElementById(fieldId(p || '/name'))?.focus();
}

export function DraftForm({ processKey, draft, onSaved }: { processKey: string; draft: ProcessDraft; onSaved: (d: ProcessDraft) => void }) {
  const [def, setDef] = useState<ProcessDefinition>(() => draft.definition as unknown as ProcessDefinition);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const known = useMemo(() => knownPointers(def), [def]);
  // Problems belong to the saved draft: while the form has unsaved changes they may point at moved items.
  const problems: Problem[] = draft.validation.problems;
  const warnings: Problem[] = draft.validation.warnings;
  const index = useMemo(() => indexProblems(problems, warnings, known), [problems, warnings, known]);

  const change = (next: ProcessDefinition): void => {
    setDef(next);
    setDirty(true);
  };
  const setStatus = (i: number, s: Status): void => change({ ...def, statuses: def.statuses.map((x, k) => (k === i ? s : x)) });
  const setStep = (j: number, s: Step): void => change({ ...def, steps: def.steps.map((x, k) => (k === j ? s : x)) });
  const mappings = def.lenderStatuses ?? [];
  const setMappings = (list: Mapping[]): void => change({ ...def, lenderStatuses: list });
  const statusOptions = def.statuses.map((s) => [s.code, `${s.label} (${s.code})`] as const);

  async function save(): Promise<void> {
    setSaving(true);
    setError(undefined);
    try {
      const saved = await request<ProcessDraft>('PUT', `/process-drafts/${processKey}`, {
        definition: def,
        ...(draft.baseVersion !== null ? { baseVersion: draft.baseVersion } : {}),
      });
      setDef(saved.definition as unknown as ProcessDefinition);
      setDirty(false);
      onSaved(saved);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <ProblemContext.Provider value={index}>
      <form
        className="draft-form"
        aria-label={`Concept ${processKey} bewerken`}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {problems.length === 0 ? (
          <p className="alert alert-ok" role="status">
            Het concept is geldig en kan gepubliceerd worden.
          </p>
        ) : null}
        {problems.length > 0 || warnings.length > 0 ? (
          <div className={problems.length > 0 ? 'alert alert-error' : 'alert alert-info'} role="region" aria-labelledby="draft-problems-title">
            <h4 id="draft-problems-title">
              {problems.length > 0 ? `Het concept heeft ${problems.length} fout(en)` : 'Geen fouten'}
              {warnings.length > 0 ? ` en ${warnings.length} waarschuwing(en)` : ''}
            </h4>
            <ul>
              {[...problems.map((p) => ({ p, w: false })), ...warnings.map((p) => ({ p, w: true }))].map(({ p, w }, i) => (
                <li key={i}>
                  <a
                    href={`#${fieldId(p.path)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      jumpTo(p.path, known);
                    }}
                  >
                    {w ? 'Waarschuwing' : 'Fout'} bij {placeOf(def, p.path)}
                  </a>
                  : {p.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {dirty ? <Info>Niet-opgeslagen wijzigingen; de controle hierboven hoort bij de laatst opgeslagen versie.</Info> : null}

        <div className="grid-form">
          <TextInput pointer="/name" label="Naam van het proces" value={def.name} onChange={(v) => change({ ...def, name: v })} />
          <SelectInput pointer="/initialStatus" label="Beginstatus" value={def.initialStatus} options={statusOptions} onChange={(v) => change({ ...def, initialStatus: v })} />
        </div>

        <Group pointer="/statuses" legend="Statussen">
          {def.statuses.map((s, i) => (
            <Group
              key={i}
              pointer={`/statuses/${i}`}
              legend={`Status ${i + 1}: ${s.label || s.code || 'nieuw'}`}
              tools={<ItemTools what={`status ${i + 1}`} index={i} count={def.statuses.length} onMove={(a, b) => change({ ...def, statuses: moved(def.statuses, a, b) })} onRemove={(k) => change({ ...def, statuses: def.statuses.filter((_, x) => x !== k) })} />}
            >
              <div className="grid-form">
                <TextInput pointer={`/statuses/${i}/code`} label="Code" value={s.code} onChange={(v) => setStatus(i, { ...s, code: v })} />
                <TextInput pointer={`/statuses/${i}/label`} label="Omschrijving" value={s.label} onChange={(v) => setStatus(i, { ...s, label: v })} />
                <SelectInput pointer={`/statuses/${i}/category`} label="Categorie" value={s.category} options={categoryOptions} onChange={(v) => setStatus(i, { ...s, category: v as Status['category'] })} />
              </div>
            </Group>
          ))}
          <button type="button" className="secondary" onClick={() => change({ ...def, statuses: [...def.statuses, { code: '', label: '', category: 'running' }] })}>
            Status toevoegen
          </button>
        </Group>

        <Group pointer="/steps" legend="Stappen">
          {def.steps.map((step, j) => (
            <StepEditor
              key={j}
              index={j}
              count={def.steps.length}
              step={step}
              statuses={def.statuses}
              onChange={(s) => setStep(j, s)}
              onMove={(a, b) => change({ ...def, steps: moved(def.steps, a, b) })}
              onRemove={(k) => change({ ...def, steps: def.steps.filter((_, x) => x !== k) })}
            />
          ))}
          <button type="button" className="secondary" onClick={() => change({ ...def, steps: [...def.steps, { id: '', label: '', from: [], actions: [] }] })}>
            Stap toevoegen
          </button>
        </Group>

        <Group pointer="/lenderStatuses" legend="Statussen van de maatschappij (SX-koppeling)">
          {mappings.length === 0 ? <p className="muted">Geen SX-koppeling (alleen voor HDN-producten).</p> : null}
          {mappings.map((m, i) => (
            <Group
              key={i}
              pointer={`/lenderStatuses/${i}`}
              legend={`SX ${m.code || '??'}`}
              tools={<ItemTools what={`SX-koppeling ${i + 1}`} index={i} count={mappings.length} onMove={(a, b) => setMappings(moved(mappings, a, b))} onRemove={(k) => setMappings(mappings.filter((_, x) => x !== k))} />}
            >
              <div className="grid-form">
                <TextInput pointer={`/lenderStatuses/${i}/code`} label="SX-statuscode" hint="twee cijfers, bijv. 09" value={m.code} onChange={(v) => setMappings(mappings.map((x, k) => (k === i ? { ...m, code: v } : x)))} />
                <SelectInput pointer={`/lenderStatuses/${i}/status`} label="Wordt status" value={m.status} options={statusOptions} onChange={(v) => setMappings(mappings.map((x, k) => (k === i ? { ...m, status: v } : x)))} />
              </div>
            </Group>
          ))}
          <button type="button" className="secondary" onClick={() => setMappings([...mappings, { code: '', status: def.statuses[0]?.code ?? '' }])}>
            SX-koppeling toevoegen
          </button>
        </Group>

        <ErrorAlert title="Opslaan mislukt">{error}</ErrorAlert>
        <div className="actions">
          <button type="submit" disabled={saving}>
            {saving ? 'Opslaan…' : 'Concept opslaan'}
          </button>
        </div>
      </form>
    </ProblemContext.Provider>
  );
}

function StepEditor(props: {
  index: number;
  count: number;
  step: Step;
  statuses: Status[];
  onChange: (s: Step) => void;
  onMove: (from: number, to: number) => void;
  onRemove: (index: number) => void;
}) {
  const { index: j, count, step, statuses, onChange, onMove, onRemove } = props;
  const p = `/steps/${j}`;
  const statusOptions = statuses.map((s) => [s.code, `${s.label} (${s.code})`] as const);
  const setAction = (k: number, a: Action): void => onChange({ ...step, actions: step.actions.map((x, i) => (i === k ? a : x)) });
  return (
    <Group pointer={p} legend={`Stap ${j + 1}: ${step.label || step.id || 'nieuw'}`} tools={<ItemTools what={`stap ${j + 1}`} index={j} count={count} onMove={onMove} onRemove={onRemove} />}>
      <div className="grid-form">
        <TextInput pointer={`${p}/id`} label="Code" hint="kleine letters, cijfers en streepjes" value={step.id} onChange={(v) => onChange({ ...step, id: v })} />
        <TextInput pointer={`${p}/label`} label="Omschrijving" value={step.label} onChange={(v) => onChange({ ...step, label: v })} />
        <SelectInput
          pointer={`${p}/to`}
          label="Naar status"
          value={step.to ?? ''}
          options={[['', 'status blijft'], ...statusOptions]}
          onChange={(v) => {
            const { to: _old, ...rest } = step;
            onChange(v ? { ...rest, to: v } : rest);
          }}
        />
      </div>
      <Group pointer={`${p}/from`} legend="Toegestaan vanuit">
        {statuses.map((s) => (
          <label key={s.code} className="check">
            <input
              type="checkbox"
              checked={step.from.includes(s.code)}
              onChange={(e) => onChange({ ...step, from: e.target.checked ? [...step.from, s.code] : step.from.filter((c) => c !== s.code) })}
            />{' '}
            {s.label || s.code}
          </label>
        ))}
        {step.from.filter((c) => !statuses.some((s) => s.code === c)).map((c) => (
          <span key={c} className="field-error"> onbekende status {c} </span>
        ))}
      </Group>
      {step.input && step.input.length > 0 ? (
        <p className="muted">Invoer bij deze stap: {step.input.map((f) => `${f.label} (${f.name}${f.required ? ', verplicht' : ''})`).join(', ')}</p>
      ) : null}
      {step.actions.map((a, k) => (
        <ActionEditor
          key={k}
          pointer={`${p}/actions/${k}`}
          index={k}
          count={step.actions.length}
          action={a}
          onChange={(x) => setAction(k, x)}
          onMove={(from, to) => onChange({ ...step, actions: moved(step.actions, from, to) })}
          onRemove={(x) => onChange({ ...step, actions: step.actions.filter((_, i) => i !== x) })}
        />
      ))}
      <button type="button" className="secondary" onClick={() => onChange({ ...step, actions: [...step.actions, actionKinds.createTask.fresh()] })}>
        Actie toevoegen<span className="visually-hidden"> (stap {j + 1})</span>
      </button>
    </Group>
  );
}

function ActionEditor(props: { pointer: string; index: number; count: number; action: Action; onChange: (a: Action) => void; onMove: (from: number, to: number) => void; onRemove: (index: number) => void }) {
  const { pointer, index, count, action, onChange, onMove, onRemove } = props;
  const spec = actionKinds[action.kind];
  const values = action as unknown as Record<string, unknown>;
  const setParam = (param: Param, raw: string): void => {
    const next: Record<string, unknown> = { ...values };
    if (param.type === 'int') {
      if (raw.trim() === '') delete next[param.name];
      else next[param.name] = Number(raw);
    } else if (param.type === 'intList') {
      next[param.name] = raw.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    } else if (raw === '' && param.name === 'dueFromInput') {
      delete next[param.name];
    } else {
      next[param.name] = raw;
    }
    onChange(next as unknown as Action);
  };
  const shown = (param: Param): string => {
    const v = values[param.name];
    if (Array.isArray(v)) return v.join(', ');
    return v === undefined || v === null ? '' : String(v);
  };
  return (
    <Group pointer={pointer} legend={`Actie ${index + 1}: ${spec?.label ?? action.kind}`} tools={<ItemTools what={`actie ${index + 1}`} index={index} count={count} onMove={onMove} onRemove={onRemove} />}>
      <div className="grid-form">
        <SelectInput
          pointer={`${pointer}/kind`}
          label="Soort actie"
          value={action.kind}
          options={kindOptions}
          onChange={(k) => onChange(actionKinds[k as ActionKind].fresh())}
        />
        {(spec?.params ?? []).map((param) =>
          param.type === 'select' ? (
            <SelectInput key={param.name} pointer={`${pointer}/${param.name}`} label={param.label} value={shown(param)} options={param.options ?? []} onChange={(v) => setParam(param, v)} />
          ) : (
            <TextInput key={param.name} pointer={`${pointer}/${param.name}`} label={param.label} type={param.type === 'int' ? 'number' : 'text'} value={shown(param)} onChange={(v) => setParam(param, v)} />
          ),
        )}
      </div>
      {action.when ? (
        <p className="muted">
          Alleen als invoer {action.when.input} = {String(action.when.equals)}
        </p>
      ) : null}
    </Group>
  );
}
