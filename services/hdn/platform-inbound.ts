/**
 * An HDN message that arrived over the HDN API platform (api/platform-listener.ts): the JSON
 * envelope is read, its sender must be the node of the verified client certificate, its fields
 * must agree with the XML's own header, and the node must be a registered party (a credential
 * with that `hdn_node`). Then it is the same message as on POST /hdn/messages: `receiveParsedInbound`
 * checks, stores before acknowledging, deduplicates, validates against the XSD and parks.
 * Every refusal here happens before anything is stored.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { rows } from '../../db/sql.js';
import { DomainError } from '../../domain/errors.js';
import type { Principal, Role } from '../../domain/roles.js';
import { decodePlatformEnvelope, envelopeHeaderMismatches, PlatformEnvelopeError } from '../../integrations/hdn/platform/envelope.js';
import { parseInbound, receiveParsedInbound, type InboundContext } from './inbound.js';
import type { HdnInboundAnswer } from './schemas.js';

/** Parties that may use the platform listener: the same roles as POST /hdn/messages. */
const PLATFORM_ROLES: readonly Role[] = ['lender', 'advice_software'];

/**
 * The party a node number stands for: its active credential with that `hdn_node`. When the node
 * is registered in more than one office, the office that has the application decides; still
 * ambiguous (or none) is refused, never guessed.
 */
async function partyOfNode(em: EntityManager, node: string, applicationNumber: string): Promise<Principal> {
  // A lender's node is registered in every office that works with it, so the offices are counted over all of its
  // credentials, and those whose office has the application come first (a platform of many offices has more
  // credentials of one node than any fixed page of them).
  const found = await rows<{ id: string; office_id: string; role: Role; has_application: boolean; offices: string }>(
    em,
    `with parties as (
       select c.id, c.office_id, c.role, c.created_at
         from api_credentials c
        where c.hdn_node = ? and c.revoked_at is null and c.role in (${PLATFORM_ROLES.map(() => '?').join(', ')})
     )
     select p.id, p.office_id, p.role,
            exists (select 1 from hdn_applications a where a.office_id = p.office_id and a.application_number = ?) as has_application,
            (select count(distinct office_id) from parties) as offices
       from parties p
      order by has_application desc, p.created_at
      limit 20`,
    [node, ...PLATFORM_ROLES, applicationNumber],
  );
  if (found.length === 0) {
    throw new DomainError('forbidden', 'hdn-platform-unknown-node', `The certificate's HDN node ${node} is not a registered party of this platform`);
  }
  const candidates = Number(found[0]!.offices) === 1 ? found : found.filter((r) => r.has_application);
  const chosen = new Set(candidates.map((r) => r.office_id)).size === 1 ? candidates[0] : undefined;
  if (!chosen) {
    throw new DomainError('forbidden', 'hdn-platform-ambiguous-node', `HDN node ${node} is registered in more than one office and application ${applicationNumber} does not tell which`);
  }
  return { credentialId: chosen.id, officeId: chosen.office_id, role: chosen.role };
}

/**
 * `certificateNode`: the node number of the client certificate the TLS layer verified (chain to
 * our CA, validity); `body`: the JSON-parsed request body.
 */
export async function receivePlatformInbound(ctx: InboundContext & { maxXmlBytes: number }, certificateNode: string, body: unknown): Promise<HdnInboundAnswer> {
  let decoded;
  try {
    decoded = decodePlatformEnvelope(body, { maxXmlBytes: ctx.maxXmlBytes });
  } catch (err) {
    if (err instanceof PlatformEnvelopeError) {
      throw new DomainError('invalid', 'hdn-platform-envelope', `Not an HDN platform envelope: ${err.message}`, { path: err.path });
    }
    throw err;
  }
  const { facts, xml } = decoded;
  if (facts.senderNode !== certificateNode) {
    throw new DomainError('forbidden', 'hdn-platform-sender-mismatch', `The envelope's senderCode ${facts.senderNode} is not the node of the client certificate (${certificateNode})`);
  }
  if (facts.receiverNode !== ctx.ourNode) {
    throw new DomainError('invalid', 'hdn-wrong-receiver', `receiverCode ${facts.receiverNode} is not this platform's HDN node (${ctx.ourNode})`);
  }
  const principal = await partyOfNode(ctx.em, certificateNode, facts.applicationNumber);
  // Read once, to compare with the envelope, and handed on as read.
  const message = await parseInbound(ctx, xml);
  const mismatches = envelopeHeaderMismatches(facts, message.header);
  if (mismatches.length > 0) {
    throw new DomainError('invalid', 'hdn-platform-envelope-mismatch', `The envelope and the message disagree: ${mismatches.join('; ')}`);
  }
  return receiveParsedInbound(ctx, principal, xml, message);
}
