/**
 * The dry run (*proefrit*) of a saved draft: a script of adviser steps, lender messages (SX
 * status codes in order) and clock advances, one per line, run by the API through the real
 * product workflow on a time-skipping test server. Shows the status trail, the history and
 * what the run would have done.
 */
import { useState } from 'react';
import { errorText, post } from '../../api';
import type { ApiRequestBody, ApiResponse, ProcessDefinition } from '../../types';
import { ErrorAlert } from '../Messages';

type DryRunRequest = ApiRequestBody<'/process-drafts/{key}/dry-run'>;
type ScriptItem = DryRunRequest['script'][number];
type DryRunResult = ApiResponse<'/process-drafts/{key}/dry-run', 'post'>;

/**
 * One script line: `stap <code> [naam=waarde ...]`, `sx <code>` (an SX status message),
 * `offerte <soort>` (an OX offer) or `dagen <aantal>`. Answers the item or a Dutch reason.
 */
export function parseScriptLine(line: string): ScriptItem | string {
  const [word, arg, ...rest] = line.trim().split(/\s+/);
  switch (word?.toLowerCase()) {
    case 'stap': {
      if (!arg) return 'stap zonder code';
      const input: Record<string, string | number | boolean> = {};
      for (const pair of rest) {
        const eq = pair.indexOf('=');
        if (eq < 1) return `"${pair}" is geen naam=waarde`;
        const raw = pair.slice(eq + 1);
        input[pair.slice(0, eq)] = raw === 'ja' || raw === 'true' ? true : raw === 'nee' || raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
      }
      return Object.keys(input).length > 0 ? { step: arg, input } : { step: arg };
    }
    case 'sx':
      return arg && /^\d{2}$/.test(arg) ? { lenderMessage: { type: 'SX', statusCode: arg } } : 'sx vraagt een statuscode van twee cijfers';
    case 'offerte':
      return arg && /^\d{2}$/.test(arg) ? { lenderMessage: { type: 'OX', offerType: arg } } : 'offerte vraagt een offertesoort van twee cijfers';
    case 'dagen': {
      const n = Number(arg);
      return arg && Number.isFinite(n) && n > 0 ? { advanceDays: n } : 'dagen vraagt een positief aantal';
    }
    default:
      return `onbekend begin "${word ?? ''}" (stap, sx, offerte of dagen)`;
  }
}

export function DryRunPanel({ processKey, definition }: { processKey: string; definition: ProcessDefinition }) {
  const [script, setScript] = useState('');
  const [result, setResult] = useState<DryRunResult>();
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);
  const label = (code: string) => definition.statuses.find((s) => s.code === code)?.label ?? code;

  async function run(): Promise<void> {
    setError(undefined);
    setResult(undefined);
    const lines = script.split('\n').map((l) => l.trim()).filter(Boolean);
    const items: ScriptItem[] = [];
    for (const [i, line] of lines.entries()) {
      const parsed = parseScriptLine(line);
      if (typeof parsed === 'string') {
        setError(`Regel ${i + 1}: ${parsed}`);
        return;
      }
      items.push(parsed);
    }
    setRunning(true);
    try {
      setResult(await post<DryRunResult>(`/process-drafts/${processKey}/dry-run`, { script: items }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setRunning(false);
    }
  }

  return (
    <section aria-labelledby={`dry-${processKey}`}>
      <h3 id={`dry-${processKey}`}>Proefrit van het opgeslagen concept</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className="field">
          <label htmlFor={`dry-script-${processKey}`}>Script (één regel per gebeurtenis)</label>
          <textarea id={`dry-script-${processKey}`} rows={5} value={script} onChange={(e) => setScript(e.target.value)} aria-describedby={`dry-hint-${processKey}`} />
          <small id={`dry-hint-${processKey}`} className="muted">
            <code>stap choose-checklist profile=loondienst</code> · <code>sx 09</code> (status van de maatschappij) · <code>offerte 18</code> · <code>dagen 3</code>
          </small>
        </div>
        <button type="submit" disabled={running}>
          {running ? 'Proefrit loopt…' : 'Proefrit starten'}
        </button>
      </form>
      <ErrorAlert title="Proefrit">{error}</ErrorAlert>
      {result ? (
        <div className="dry-run-result" data-testid="dry-run-result">
          <p role="status">
            {result.ok ? 'Proefrit geslaagd' : `Proefrit gestopt bij regel ${(result.failure?.index ?? 0) + 1}: ${result.failure?.reason ?? ''}`}. Eindstatus:{' '}
            <strong>{result.finalStatusLabel}</strong>.
          </p>
          <h4>Statusverloop</h4>
          <ol className="status-trail" aria-label="Statusverloop">
            {result.statusTrail.map((s, i) => (
              <li key={i}>{label(s)}</li>
            ))}
          </ol>
          {result.history.length > 0 ? (
            <table>
              <caption>Historie</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Gebeurtenis</th>
                  <th scope="col">Van</th>
                  <th scope="col">Naar</th>
                </tr>
              </thead>
              <tbody>
                {result.history.map((h) => (
                  <tr key={h.seq}>
                    <td>{h.seq}</td>
                    <td>{h.label}</td>
                    <td>{label(h.fromStatus)}</td>
                    <td>{label(h.toStatus)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {result.mails.length + result.tasks.length + result.documents.length + result.other.length > 0 ? (
            <>
              <h4>Wat de proefrit zou doen</h4>
              <ul>
                {result.mails.map((m, i) => (
                  <li key={`m${i}`}>Mail ({m.template}): {m.description}</li>
                ))}
                {result.tasks.map((t, i) => (
                  <li key={`t${i}`}>Taak: {t.title}</li>
                ))}
                {result.documents.map((d, i) => (
                  <li key={`d${i}`}>Document ({d.template}): {d.description}</li>
                ))}
                {result.other.map((o, i) => (
                  <li key={`o${i}`}>{o.description}</li>
                ))}
              </ul>
            </>
          ) : null}
          <p className="muted">Daarna mogelijke stappen: {result.availableSteps.join(', ') || 'geen'}</p>
        </div>
      ) : null}
    </section>
  );
}
