/**
 * Inbound mail (*inkomende mail*, issue 19): the mails of a person's card and of a dossier, the
 * office's inbox of mail linked to nobody, one mail with its text, linking a mail to a person
 * (and dossier) by hand, an attachment as a download, and "poll now". The mails arrive through
 * the office's mailbox poller (workflow `mailbox:<officeId>`), not through this API.
 */
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../../plugins/auth.js';
import { sendDownload } from '../../download.js';
import {
  getInboundAttachment,
  getInboundMail,
  linkInboundMail,
  listInboundMailsOfDossier,
  listInboundMailsOfPerson,
  listUnmatchedInboundMails,
} from '../../../services/mailbox/inbound-mails.js';
import { pollMailboxNow } from '../../../services/mailbox/poller.js';
import { InboundAttachmentParamsSchema, InboundMailLinkCreateSchema, InboundMailListSchema, InboundMailSchema } from '../../../services/mailbox/schemas.js';
import { IdParamsSchema, problemResponses } from '../../../services/shared/schemas.js';
import { refuse } from '../../../domain/errors.js';

const roles = ['adviser'] as const;
const tags = ['mailbox'];
const security = [{ bearer: [] }];

const mailboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/persons/:id/inbound-mails',
    {
      config: { roles },
      schema: {
        tags,
        summary: "The mails the person sent to the office's mailbox (linked by address or by hand), newest first (at most 200)",
        security,
        params: IdParamsSchema,
        response: { 200: InboundMailListSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => listInboundMailsOfPerson(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.get(
    '/dossiers/:id/inbound-mails',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'The inbound mails linked to the dossier or to one of its applicants, newest first (at most 200)',
        security,
        params: IdParamsSchema,
        response: { 200: InboundMailListSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => listInboundMailsOfDossier(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.get(
    '/inbound-mails/unmatched',
    {
      config: { roles },
      schema: {
        tags,
        summary: "The office's inbox of unmatched mail: inbound mails linked to nobody (no person has the From address), newest first",
        security,
        response: { 200: InboundMailListSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => listUnmatchedInboundMails(app.deps.orm.em.fork(), principalOf(request).officeId),
  );

  app.post(
    '/inbound-mails/poll',
    {
      config: { roles },
      schema: {
        tags,
        summary: "Ask the office's mailbox poller to poll now instead of at the end of its interval",
        description: '202 when the poller was asked; 404 `mailbox-not-configured` when the office has no mailbox poller (IMAP_MAILBOXES).',
        security,
        response: { 202: Type.Object({ requested: Type.Boolean() }, { additionalProperties: false }), ...problemResponses(401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      if (!(await pollMailboxNow(app.deps.temporal, principalOf(request).officeId))) {
        throw refuse.notFoundAs('mailbox-not-configured', 'This office has no mailbox poller (IMAP_MAILBOXES)');
      }
      return reply.code(202).send({ requested: true });
    },
  );

  app.get(
    '/inbound-mails/:id',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'An inbound mail with its text, links and attachments',
        security,
        params: IdParamsSchema,
        response: { 200: InboundMailSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getInboundMail(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.post(
    '/inbound-mails/:id/links',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Link an inbound mail to a person by hand (and optionally one of their dossiers): it leaves the inbox and shows on their card',
        description: '422 `person-not-in-dossier` when the person is not an applicant of the dossier. Linking the same person again sets the dossier.',
        security,
        params: IdParamsSchema,
        body: InboundMailLinkCreateSchema,
        response: { 200: InboundMailSchema, ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => linkInboundMail(app.deps.orm.em.fork(), principalOf(request), request.params.id, request.body),
  );

  app.get(
    '/inbound-mails/:id/attachments/:attachmentId',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'An attachment of an inbound mail, as a download',
        description: '404 `attachment-not-kept` when it was larger than the limit (its name and size are in the mail).',
        security,
        params: InboundAttachmentParamsSchema,
        response: {
          200: { description: 'the attachment', content: { 'application/octet-stream': { schema: Type.Unsafe<Readable>({ type: 'string', format: 'binary' }) } } },
          ...problemResponses(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const file = await getInboundAttachment(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id, request.params.attachmentId);
      return sendDownload(reply, { contentType: file.contentType, filename: file.filename, sizeBytes: file.content.length, ...(file.sha256 ? { sha256: file.sha256 } : {}), body: file.content });
    },
  );
};

export default mailboxRoutes;
