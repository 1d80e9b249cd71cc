/** The simulator's tiny HTML overview (GET /): the same data as GET /admin/applications. */
import { escapeHtml } from './http.js';
import type { ApplicationView } from './state.js';

export interface PageSettings {
  nodeNumber: string;
  name: string;
  scenario: string;
  stepDelayMs: number;
  waitForDocuments: boolean;
}

export function renderPage(apps: readonly ApplicationView[], settings: PageSettings): string {
  const rows = apps
    .map((app) => {
      const messages = app.messages
        .map((m) => {
          const label = `${m.type}${m.code ?? ''}${m.copy > 1 ? ' (2x)' : ''}`;
          const title = `${m.at}${m.detail ? ` ${m.detail}` : ''}${m.error ? ` – ${m.error}` : ''}`;
          return `<span class="${m.delivered ? 'ok' : 'pending'}" title="${escapeHtml(title)}">${escapeHtml(label)}</span>`;
        })
        .join(' ');
      return `<tr>
  <td>${escapeHtml(app.applicationNumber)}</td><td>${escapeHtml(app.applicationVersion)}</td>
  <td>${escapeHtml(app.senderNode)}</td><td>${escapeHtml(app.scenario)}</td><td>${escapeHtml(app.state)}</td>
  <td>${messages}</td><td>${escapeHtml(app.dxReceived.join(', '))}</td><td>${escapeHtml(app.receivedAt)}</td>
</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(settings.name)} (simulator)</title>
<meta http-equiv="refresh" content="5">
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top; }
.ok { color: #176117; } .pending { color: #a15c00; font-weight: bold; }
</style></head>
<body>
<h1>${escapeHtml(settings.name)} <small>HDN ${escapeHtml(settings.nodeNumber)} (simulator)</small></h1>
<p>Scenario for new applications: <b>${escapeHtml(settings.scenario)}</b>, ${settings.stepDelayMs} ms between messages${
    settings.waitForDocuments ? ', waits for documents' : ''
  }. JSON: <a href="/admin/applications">/admin/applications</a></p>
<table>
<tr><th>Aanvraag</th><th>Versie</th><th>Van</th><th>Scenario</th><th>Stand</th><th>Berichten (groen = afgeleverd)</th><th>DX ontvangen</th><th>Ontvangen</th></tr>
${rows || '<tr><td colspan="8">Nog geen aanvragen.</td></tr>'}
</table>
</body></html>
`;
}
