/**
 * The query manager's filters on loan parts (*leningdelen*), coverages (*dekkingen*), CRM
 * properties (*eigenschappen*) and indicators: their form state, the query they make, and the
 * fieldsets. Definitions of properties and indicators come from the office (CRM admin).
 */
import { useId } from 'react';
import { TextField } from '../components/Field';
import type { ApiResponse, SelectionQuery } from '../types';

export type LoanPartFilter = NonNullable<SelectionQuery['loanParts']>[number];
export type PropertyFilter = NonNullable<SelectionQuery['properties']>[number];
export type RepaymentType = NonNullable<LoanPartFilter['repaymentType']>;
export type ComparisonOp = NonNullable<LoanPartFilter['amount']>['op'];
export type PropertyDefinition = ApiResponse<'/crm/properties'>['items'][number];
export type Indicator = ApiResponse<'/crm/indicators'>['items'][number];

export const repaymentLabels: Record<RepaymentType, string> = {
  annuiteit: 'annuïteit',
  lineair: 'lineair',
  aflossingsvrij: 'aflossingsvrij',
  spaarhypotheek: 'spaarhypotheek',
  bankspaarhypotheek: 'bankspaarhypotheek',
  beleggingshypotheek: 'beleggingshypotheek',
};
export const comparisonLabels: Record<ComparisonOp, string> = {
  lt: 'kleiner dan',
  lte: 'kleiner dan of gelijk aan',
  eq: 'gelijk aan',
  gte: 'groter dan of gelijk aan',
  gt: 'groter dan',
};
const comparisonSigns: Record<ComparisonOp, string> = { lt: '<', lte: '≤', eq: '=', gte: '≥', gt: '>' };
const textOpLabels = { eq: 'is', contains: 'bevat' } as const;

/** One property row of the form; `value` is what was typed (checked when the query is made). */
export interface PropertyRow {
  key: string;
  op: string;
  value: string;
}

export interface MoreForm {
  repaymentType: '' | RepaymentType;
  amountOp: '' | ComparisonOp;
  amountEuros: string;
  withCoverages: string;
  withoutCoverages: string;
  properties: PropertyRow[];
  /** Indicator id → met / zonder (absent: no filter). */
  indicators: Record<string, 'with' | 'without'>;
  /** Loan-part filters of a loaded query beyond the first (kept as they are). */
  moreLoanParts: LoanPartFilter[];
}

export const emptyMore = (): MoreForm => ({
  repaymentType: '',
  amountOp: '',
  amountEuros: '',
  withCoverages: '',
  withoutCoverages: '',
  properties: [],
  indicators: {},
  moreLoanParts: [],
});

/** "150.000", "150000", "150.000,50" → cents; undefined when it is no amount. */
export function eurosToCents(text: string): number | undefined {
  const t = text.trim().replace(/^€\s*/, '').replace(/\./g, '').replace(',', '.');
  if (!/^\d{1,11}(\.\d{1,2})?$/.test(t)) return undefined;
  return Math.round(Number(t) * 100);
}

export const centsToEuros = (cents: number): string =>
  `${Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.')}${cents % 100 ? `,${String(cents % 100).padStart(2, '0')}` : ''}`;

const codes = (text: string): string[] => [...new Set(text.split(/[\s,;]+/).map((c) => c.trim()).filter(Boolean))];

/** A problem of the form the user must fix before searching (Dutch), or undefined. */
export function moreProblem(more: MoreForm): string | undefined {
  if (more.amountOp && eurosToCents(more.amountEuros) === undefined) return 'Vul bij het leningdeel een bedrag in euro’s in, bijvoorbeeld 150.000.';
  for (const row of more.properties) {
    if (!row.key) return 'Kies bij elke eigenschap welke eigenschap het is.';
    if (row.value.trim() === '') return 'Vul bij elke eigenschap een waarde in.';
  }
  return undefined;
}

/** Adds the filters of `more` to the query (definitions give each property's type). */
export function applyMore(q: SelectionQuery, more: MoreForm, defs: readonly PropertyDefinition[]): SelectionQuery {
  const out: SelectionQuery = { ...q };
  const part: LoanPartFilter = {};
  if (more.repaymentType) part.repaymentType = more.repaymentType;
  const cents = eurosToCents(more.amountEuros);
  if (more.amountOp && cents !== undefined) part.amount = { op: more.amountOp, cents };
  const loanParts = [...(Object.keys(part).length ? [part] : []), ...more.moreLoanParts];
  if (loanParts.length) out.loanParts = loanParts;
  const withCodes = codes(more.withCoverages);
  const withoutCodes = codes(more.withoutCoverages);
  if (withCodes.length) out.withCoverages = withCodes;
  if (withoutCodes.length) out.withoutCoverages = withoutCodes;
  const properties: PropertyFilter[] = [];
  for (const row of more.properties) {
    const def = defs.find((d) => d.key === row.key);
    if (!def) continue;
    const value = row.value.trim();
    if (def.type === 'number') properties.push({ type: 'number', key: def.key, op: (row.op || 'eq') as ComparisonOp, value: Number(value.replace(',', '.')) });
    else if (def.type === 'date') properties.push({ type: 'date', key: def.key, op: (row.op || 'eq') as ComparisonOp, value });
    else if (def.type === 'boolean') properties.push({ type: 'boolean', key: def.key, value: value === 'true' });
    else properties.push({ type: 'text', key: def.key, op: row.op === 'contains' ? 'contains' : 'eq', value });
  }
  if (properties.length) out.properties = properties;
  const withIds = Object.entries(more.indicators).filter(([, m]) => m === 'with').map(([id]) => id);
  const withoutIds = Object.entries(more.indicators).filter(([, m]) => m === 'without').map(([id]) => id);
  if (withIds.length) out.withIndicators = withIds;
  if (withoutIds.length) out.withoutIndicators = withoutIds;
  return out;
}

/** The form of a loaded query's filters. */
export function moreFromQuery(q: SelectionQuery): MoreForm {
  const [first, ...rest] = q.loanParts ?? [];
  return {
    repaymentType: first?.repaymentType ?? '',
    amountOp: first?.amount?.op ?? '',
    amountEuros: first?.amount ? centsToEuros(first.amount.cents) : '',
    withCoverages: (q.withCoverages ?? []).join(', '),
    withoutCoverages: (q.withoutCoverages ?? []).join(', '),
    properties: (q.properties ?? []).map((p) => ({ key: p.key, op: 'op' in p ? p.op : 'eq', value: String(p.value) })),
    indicators: Object.fromEntries([
      ...(q.withIndicators ?? []).map((id) => [id, 'with'] as const),
      ...(q.withoutIndicators ?? []).map((id) => [id, 'without'] as const),
    ]),
    moreLoanParts: rest,
  };
}

/** The new filters in words, for the result caption and the saved list. */
export function describeMore(q: SelectionQuery, indicatorLabel: (id: string) => string = () => 'indicator'): string[] {
  const parts: string[] = [];
  for (const f of q.loanParts ?? []) {
    const words = ['met leningdeel'];
    if (f.repaymentType) words.push(repaymentLabels[f.repaymentType]);
    if (f.amount) words.push(`${comparisonSigns[f.amount.op]} € ${centsToEuros(f.amount.cents)}`);
    parts.push(words.join(' '));
  }
  for (const c of q.withCoverages ?? []) parts.push(`met dekking ${c}`);
  for (const c of q.withoutCoverages ?? []) parts.push(`zonder dekking ${c}`);
  for (const p of q.properties ?? []) {
    if (p.type === 'boolean') parts.push(`${p.key} ${p.value ? 'ja' : 'nee'}`);
    else if (p.type === 'text') parts.push(`${p.key} ${textOpLabels[p.op]} „${p.value}”`);
    else parts.push(`${p.key} ${comparisonSigns[p.op]} ${p.value}`);
  }
  for (const id of q.withIndicators ?? []) parts.push(`met ${indicatorLabel(id)}`);
  for (const id of q.withoutIndicators ?? []) parts.push(`zonder ${indicatorLabel(id)}`);
  return parts;
}

const MAX_PROPERTIES = 5;

export function MoreFilters({
  value,
  onChange,
  definitions,
  indicators,
}: {
  value: MoreForm;
  onChange: (v: MoreForm) => void;
  definitions: readonly PropertyDefinition[];
  indicators: readonly Indicator[];
}) {
  const id = useId();
  const set = (patch: Partial<MoreForm>) => onChange({ ...value, ...patch });
  const setRow = (i: number, patch: Partial<PropertyRow>) => set({ properties: value.properties.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  return (
    <>
      <fieldset className="card">
        <legend>Leningdeel</legend>
        <div className="field">
          <label htmlFor={`${id}-repayment`}>Aflossingsvorm</label>
          <select id={`${id}-repayment`} value={value.repaymentType} onChange={(e) => set({ repaymentType: e.target.value as MoreForm['repaymentType'] })}>
            <option value="">(geen filter)</option>
            {Object.entries(repaymentLabels).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-amount-op`}>Bedrag leningdeel</label>
          <select id={`${id}-amount-op`} value={value.amountOp} onChange={(e) => set({ amountOp: e.target.value as MoreForm['amountOp'] })}>
            <option value="">(geen filter)</option>
            {Object.entries(comparisonLabels).map(([op, label]) => (
              <option key={op} value={op}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {value.amountOp ? (
          <TextField label="Bedrag (€)" value={value.amountEuros} onChange={(amountEuros) => set({ amountEuros })} inputMode="decimal" placeholder="150.000" maxLength={20} />
        ) : null}
        {value.moreLoanParts.length ? <p className="muted">En nog {value.moreLoanParts.length} leningdeelfilter(s) uit de geladen zoekvraag.</p> : null}
      </fieldset>
      <fieldset className="card">
        <legend>Dekkingen</legend>
        <TextField
          label="Met dekking(en)"
          value={value.withCoverages}
          onChange={(withCoverages) => set({ withCoverages })}
          maxLength={250}
          hint="Dekkingscodes, gescheiden door komma's; de klant heeft ze allemaal (bijv. RB-A)"
        />
        <TextField
          label="Zonder dekking(en)"
          value={value.withoutCoverages}
          onChange={(withoutCoverages) => set({ withoutCoverages })}
          maxLength={250}
          hint="De klant heeft geen van deze (bijv. OPSTAL)"
        />
      </fieldset>
      <fieldset className="card">
        <legend>Eigenschappen en indicatoren</legend>
        {value.properties.map((row, i) => {
          const def = definitions.find((d) => d.key === row.key);
          const n = i + 1;
          return (
            <div key={i} role="group" aria-label={`Eigenschap ${n}`} className="inline-form">
              <div className="field">
                <label htmlFor={`${id}-p${i}-key`}>Eigenschap</label>
                <select id={`${id}-p${i}-key`} value={row.key} onChange={(e) => setRow(i, { key: e.target.value, op: '', value: '' })}>
                  <option value="">(kies)</option>
                  {definitions.map((d) => (
                    <option key={d.key} value={d.key}>
                      {d.label}
                    </option>
                  ))}
                </select>
              </div>
              {def && def.type !== 'boolean' ? (
                <div className="field">
                  <label htmlFor={`${id}-p${i}-op`}>Vergelijking</label>
                  <select id={`${id}-p${i}-op`} value={row.op || 'eq'} onChange={(e) => setRow(i, { op: e.target.value })}>
                    {Object.entries(def.type === 'number' || def.type === 'date' ? comparisonLabels : textOpLabels).map(([op, label]) => (
                      <option key={op} value={op}>
                        {label}
                      </option>
                    ))}
                  </select>
                </div>
              ) : null}
              {def?.type === 'boolean' || def?.type === 'choice' ? (
                <div className="field">
                  <label htmlFor={`${id}-p${i}-value`}>Waarde</label>
                  <select id={`${id}-p${i}-value`} value={row.value} onChange={(e) => setRow(i, { value: e.target.value })}>
                    <option value="">(kies)</option>
                    {(def.type === 'boolean' ? [['true', 'ja'], ['false', 'nee']] : (def.choices ?? []).map((c) => [c, c])).map(([v, label]) => (
                      <option key={v} value={v}>
                        {label}
                      </option>
                    ))}
                  </select>
                </div>
              ) : def ? (
                <TextField
                  label="Waarde"
                  value={row.value}
                  onChange={(v) => setRow(i, { value: v })}
                  type={def.type === 'date' ? 'date' : 'text'}
                  inputMode={def.type === 'number' ? 'decimal' : undefined}
                  maxLength={200}
                />
              ) : null}
              <button type="button" aria-label={`Eigenschap ${n} weglaten`} onClick={() => set({ properties: value.properties.filter((_, j) => j !== i) })}>
                Weglaten
              </button>
            </div>
          );
        })}
        {definitions.length && value.properties.length < MAX_PROPERTIES ? (
          <button type="button" onClick={() => set({ properties: [...value.properties, { key: '', op: '', value: '' }] })}>
            Eigenschap toevoegen
          </button>
        ) : null}
        {definitions.length === 0 ? <p className="muted">Er zijn geen eigenschappen gedefinieerd (CRM-beheer).</p> : null}
        {indicators.map((ind) => (
          <div key={ind.id} className="field">
            <label htmlFor={`${id}-i-${ind.id}`}>Indicator {ind.label}</label>
            <select
              id={`${id}-i-${ind.id}`}
              value={value.indicators[ind.id] ?? ''}
              onChange={(e) => {
                const next = { ...value.indicators };
                if (e.target.value === 'with' || e.target.value === 'without') next[ind.id] = e.target.value;
                else delete next[ind.id];
                set({ indicators: next });
              }}
            >
              <option value="">(geen filter)</option>
              <option value="with">heeft</option>
              <option value="without">heeft niet</option>
            </select>
          </div>
        ))}
      </fieldset>
    </>
  );
}
