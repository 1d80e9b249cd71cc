/**
 * The contact log (*contactmomenten*) of a dossier (with a product filter) or of a person (across
 * their dossiers): newest first, with channel, verslag, who registered it, the report mail and the
 * follow-up task. Paged by the API (50 a page); the pager buttons are ordinary buttons, so the
 * section is used with the keyboard alone.
 */
import { useId, useState } from 'react';
import { get, query } from '../api';
import { useLoad } from '../hooks';
import { dateTime, date, productTypeLabel } from '../labels';
import { Link } from '../router';
import type { ApiResponse } from '../types';
import { ErrorAlert, Loading } from './Messages';

type ContactMomentList = ApiResponse<'/dossiers/{id}/contact-moments'>;
type ContactMoment = ContactMomentList['items'][number];

const PAGE = 50;

const channelLabel: Record<string, string> = { telefoon: 'Telefoon', gesprek: 'Gesprek', 'e-mail': 'E-mail', video: 'Video', overig: 'Overig' };
const mailStatusLabel: Record<ContactMoment['reportMails'][number]['status'], string> = { pending: 'wacht op verzending', sent: 'verzonden', failed: 'mislukt' };
const taskStatusLabel: Record<NonNullable<ContactMoment['followUpTask']>['status'], string> = { open: 'open', done: 'afgerond' };

export type ContactMomentsProps =
  | { kind: 'dossier'; dossierId: string; products: readonly { id: string; type: string; company?: string | null }[]; pollMs?: number }
  | { kind: 'person'; personId: string; pollMs?: number };

export function ContactMoments(props: ContactMomentsProps) {
  const headingId = useId();
  const filterId = useId();
  const [productId, setProductId] = useState('');
  const [offset, setOffset] = useState(0);
  const base = props.kind === 'dossier' ? `/dossiers/${props.dossierId}/contact-moments` : `/persons/${props.personId}/contact-moments`;
  const url = `${base}${query({ productId: props.kind === 'dossier' ? productId : undefined, limit: PAGE, offset })}`;
  const moments = useLoad(() => get<ContactMomentList>(url), [url], props.pollMs);
  const list = moments.data;
  const productName = (m: ContactMoment) => `${productTypeLabel(m.productType)}${m.productCompany ? ` (${m.productCompany})` : ''}`;

  return (
    <section aria-labelledby={headingId} className="contact-moments">
      <h2 id={headingId}>Contactmomenten</h2>
      {props.kind === 'dossier' && props.products.length > 0 ? (
        <p>
          <label htmlFor={filterId}>Product</label>{' '}
          <select
            id={filterId}
            value={productId}
            onChange={(e) => {
              setProductId(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">Alle producten</option>
            {props.products.map((p) => (
              <option key={p.id} value={p.id}>
                {productTypeLabel(p.type)}
                {p.company ? ` (${p.company})` : ''}
              </option>
            ))}
          </select>
        </p>
      ) : null}
      <ErrorAlert>{moments.error}</ErrorAlert>
      {moments.loading && !list ? <Loading what="Contactmomenten" /> : null}
      {list && list.items.length === 0 ? <p className="muted">Geen contactmomenten.</p> : null}
      {list && list.items.length > 0 ? (
        <table>
          <caption>
            {list.total} contactmoment(en){list.total > list.items.length ? `, ${list.offset + 1}–${list.offset + list.items.length} getoond` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Wanneer</th>
              <th scope="col">Kanaal</th>
              <th scope="col">Verslag</th>
              <th scope="col">Product</th>
              <th scope="col">Geregistreerd door</th>
              <th scope="col">Verslagmail</th>
              <th scope="col">Opvolgtaak</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((m) => (
              <tr key={m.id} data-testid="contact-moment">
                <td>{dateTime(m.at)}</td>
                <td>{channelLabel[m.channel] ?? m.channel}</td>
                <td style={{ whiteSpace: 'pre-wrap' }}>{m.summary ?? <span className="muted">geen verslag</span>}</td>
                <td>
                  {props.kind === 'person' ? (
                    <>
                      <Link to={`/dossiers/${m.dossierId}`}>Dossier {m.dossierNumber}</Link>,{' '}
                    </>
                  ) : null}
                  {productName(m)}
                </td>
                <td>{m.registeredBy.name ?? m.registeredBy.actor}</td>
                <td>
                  {m.reportMails.length === 0
                    ? '–'
                    : m.reportMails.map((mail) => (
                        <span key={mail.id} style={{ display: 'block' }}>
                          „{mail.subject}” ({mailStatusLabel[mail.status]})
                        </span>
                      ))}
                </td>
                <td>{m.followUpTask ? `${m.followUpTask.title} – ${taskStatusLabel[m.followUpTask.status]}, uiterlijk ${date(m.followUpTask.dueDate)}` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list && list.total > PAGE ? (
        <p className="inline-form">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Vorige contactmomenten
          </button>{' '}
          <button type="button" disabled={offset + PAGE >= list.total} onClick={() => setOffset(offset + PAGE)}>
            Volgende contactmomenten
          </button>
        </p>
      ) : null}
    </section>
  );
}
