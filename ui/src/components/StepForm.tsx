/**
 * The next-step buttons of a product: exactly the steps the API says are allowed now
 * (availableSteps). A step with inputs opens a small form (choice → select, date → date input,
 * boolean → checkbox, text → textarea, integer → number). The server decides: the form does
 * not block submission, and a refused step (409) shows the API's reason in an alert.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, errorText, post } from '../api';
import type { ApiRequestBody, ApiResponse, AvailableStep, Product, StepInputField } from '../types';

type Values = Record<string, string | boolean>;

function initialValues(fields: StepInputField[]): Values {
  const v: Values = {};
  for (const f of fields) v[f.name] = f.type === 'boolean' ? false : '';
  return v;
}

function toInput(fields: StepInputField[], values: Values): Record<string, string | number | boolean> {
  const input: Record<string, string | number | boolean> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.type === 'boolean') input[f.name] = v === true;
    else if (typeof v === 'string' && v.trim() !== '') input[f.name] = f.type === 'integer' ? Number(v) : v;
  }
  return input;
}

function InputField({ field, value, onChange }: { field: StepInputField; value: string | boolean; onChange: (v: string | boolean) => void }) {
  const id = useId();
  const label = (
    <label htmlFor={id}>
      {field.label}
      {field.required ? <span aria-hidden="true"> *</span> : null}
    </label>
  );
  const common = { id, name: field.name, required: field.required };
  switch (field.type) {
    case 'boolean':
      return (
        <div className="field checkbox">
          <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          {label}
        </div>
      );
    case 'choice':
      return (
        <div className="field">
          {label}
          <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
            <option value="">— kies —</option>
            {(field.choices ?? []).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      );
    case 'text':
      return (
        <div className="field">
          {label}
          <textarea {...common} rows={3} value={String(value)} onChange={(e) => onChange(e.target.value)} />
        </div>
      );
    case 'date':
    case 'integer':
    default:
      return (
        <div className="field">
          {label}
          <input
            {...common}
            type={field.type === 'date' ? 'date' : field.type === 'integer' ? 'number' : 'text'}
            step={field.type === 'integer' ? 1 : undefined}
            value={String(value)}
            onChange={(e) => onChange(e.target.value)}
          />
        </div>
      );
  }
}

function StepInputs({
  step,
  busy,
  onSubmit,
  onCancel,
}: {
  step: AvailableStep;
  busy: boolean;
  onSubmit: (input: Record<string, string | number | boolean>) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<Values>(() => initialValues(step.input));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(toInput(step.input, values));
  };
  return (
    <form className="step-form" onSubmit={submit} noValidate aria-label={`Stap: ${step.label}`}>
      <fieldset disabled={busy}>
        <legend>{step.label}</legend>
        {step.input.map((f) => (
          <InputField key={f.name} field={f} value={values[f.name] ?? ''} onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))} />
        ))}
        <div className="actions">
          <button type="submit">Uitvoeren</button>
          <button type="button" className="secondary" onClick={onCancel}>
            Annuleren
          </button>
        </div>
      </fieldset>
    </form>
  );
}

export function NextSteps({ product, onChanged }: { product: Product; onChanged: (p: Product) => void }) {
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const [done, setDone] = useState<{ text: string; status: string }>();
  const headingId = useId();

  // A step that is no longer allowed (the case moved on underneath) closes its form.
  useEffect(() => {
    if (open && !product.availableSteps.some((s) => s.id === open)) setOpen(null);
  }, [open, product.availableSteps]);

  const run = async (step: AvailableStep, input?: Record<string, string | number | boolean>) => {
    if (step.id === 'cancel' && !window.confirm(`${step.label}: weet je het zeker?`)) return;
    setBusy(true);
    setRefusal(undefined);
    setDone(undefined);
    try {
      const result = await post<ApiResponse<'/products/{id}/steps/{stepId}', 'post'>>(
        `/products/${product.id}/steps/${encodeURIComponent(step.id)}`,
        (input && Object.keys(input).length > 0 ? { input } : {}) satisfies ApiRequestBody<'/products/{id}/steps/{stepId}'>,
        { headers: { 'idempotency-key': crypto.randomUUID() } },
      );
      setOpen(null);
      setDone({ text: `Stap „${step.label}” uitgevoerd; status nu: ${result.product.statusLabel}`, status: result.product.status });
      onChanged(result.product);
    } catch (err) {
      const reason = errorText(err);
      setRefusal(err instanceof ApiError && err.status === 409 ? `Stap „${step.label}” geweigerd: ${reason}` : `Stap „${step.label}” mislukt: ${reason}`);
    } finally {
      setBusy(false);
    }
  };

  const openStep = product.availableSteps.find((s) => s.id === open);
  return (
    <section className="next-steps" aria-labelledby={headingId}>
      <h4 id={headingId}>Volgende stappen</h4>
      {product.availableSteps.length === 0 ? <p className="muted">Geen stappen mogelijk in deze status.</p> : null}
      <div className="step-buttons">
        {product.availableSteps.map((s) => (
          <button
            key={s.id}
            type="button"
            className={s.id === 'cancel' ? 'danger' : undefined}
            disabled={busy}
            aria-expanded={s.input.length > 0 ? open === s.id : undefined}
            onClick={() => {
              setRefusal(undefined);
              if (s.input.length > 0) setOpen(open === s.id ? null : s.id);
              else void run(s);
            }}
          >
            {s.label}
          </button>
        ))}
      </div>
      {openStep ? <StepInputs key={openStep.id} step={openStep} busy={busy} onSubmit={(input) => void run(openStep, input)} onCancel={() => setOpen(null)} /> : null}
      <div role="alert" className={refusal ? 'alert alert-error' : undefined}>
        {refusal}
      </div>
      {/* The confirmation holds while the status is the one the step left (a later change clears it). */}
      <div role="status" className={done?.status === product.status ? 'alert alert-ok' : undefined}>
        {done?.status === product.status ? done.text : null}
      </div>
    </section>
  );
}
