/**
 * Which HDN node a client certificate speaks for. HDN issues "a certificate with node number"
 * per connection (hdn.nl, HDN wiki); where in the certificate the number sits is not public.
 * unverified: we read it from the subject's CN (exactly 6 letters/digits). An office whose
 * certificates carry it elsewhere changes this one function.
 */
import type { PeerCertificate } from 'node:tls';

const NODE = /^[A-Za-z0-9]{6}$/;

/** The node number of a verified peer certificate, or undefined when it names none. */
export function nodeOfCertificate(cert: Pick<PeerCertificate, 'subject'> | undefined | null): string | undefined {
  const cn = cert?.subject?.CN;
  // Node prints a repeated attribute as an array: more than one CN is not a node certificate.
  if (typeof cn !== 'string') return undefined;
  return NODE.test(cn) ? cn : undefined;
}
