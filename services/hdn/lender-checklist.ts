/**
 * The lender's document checklist (*stukkenlijst*) of a mortgage product, kept current from the
 * DA messages the product process receives: each DA's lines are upserted on (product, line id),
 * so a later DA changes a line's status without making a second row.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApplyDocumentRequestInput } from '../../domain/hdn/side-effects.js';
import { readHdnMessage } from '../../integrations/hdn/read.js';
import { hdnRefuse } from './refusals.js';
import { countDocumentLines, storedXmlOf, upsertDocumentLines } from './store.js';

/** Upserts the lines of the stored DA as the product's checklist; returns how many lines the checklist has. */
export async function applyDocumentRequest(em: EntityManager, input: ApplyDocumentRequestInput): Promise<{ lines: number }> {
  const stored = await storedXmlOf(em, input.messageId);
  if (!stored) throw hdnRefuse.noApplication(`HDN message ${input.messageId} is missing`);
  // Either shape: a DA stored before issue 17 (<HDN>) or in the public structure.
  const da = readHdnMessage(stored.raw_xml);
  if (da.type !== 'DA') throw hdnRefuse.noApplication(`HDN message ${input.messageId} is not a DA`);
  await em.transactional((tem) => upsertDocumentLines(tem, input.productId, input.messageId, da.lines));
  return { lines: await countDocumentLines(em, input.productId) };
}
