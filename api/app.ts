/**
 * The Fastify app as a plugin tree: plugins/ (problem+json, swagger, auth) then
 * routes/<feature>/. Built without listening; `server.ts` listens, tests use `inject()`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import problemPlugin, { answerExpectationFailed, MAX_PARAM_LENGTH, problemClientErrorHandler, problemFrameworkErrors } from './plugins/problem.js';
import inputContractPlugin from './plugins/input-contract.js';
import swaggerPlugin from './plugins/swagger.js';
import authPlugin from './plugins/auth.js';
import cookiePlugin from '@fastify/cookie';
import accessRoutes from './routes/access/index.js';
import uiPlugin from './plugins/ui.js';
import securityHeadersPlugin from './plugins/security-headers.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import { RefusedXmlBodies } from './plugins/xml-refusals.js';
import { registerSharedSchemas } from './schemas/index.js';
import healthRoutes from './routes/health/index.js';
import personsRoutes from './routes/crm/persons.js';
import dossiersRoutes from './routes/dossiers/index.js';
import productsRoutes from './routes/products/index.js';
import tasksRoutes from './routes/work/tasks.js';
import documentsRoutes from './routes/work/documents.js';
import mailsRoutes from './routes/work/mails.js';
import contactMomentsRoutes from './routes/work/contact-moments.js';
import checklistRoutes from './routes/work/checklist.js';
import portalRoutes from './routes/portal/index.js';
import processDefinitionsRoutes from './routes/process/definitions.js';
import processDesignerRoutes from './routes/process/designer.js';
import hdnRoutes from './routes/hdn/index.js';
import lenderDocumentsRoutes from './routes/hdn/lender-documents.js';
import billingRoutes from './routes/billing/index.js';
import ocktoRoutes from './routes/ockto/index.js';
import riskRoutes from './routes/insurance/index.js';
import privacyRoutes from './routes/privacy/index.js';
import selectionsRoutes from './routes/selections/index.js';
import crmRoutes from './routes/crm/index.js';
import organisationsRoutes from './routes/crm/organisations.js';
import familyRoutes from './routes/crm/family.js';
import adviceExportRoutes from './routes/dossiers/advice-export.js';
import campaignsRoutes from './routes/campaigns/index.js';
import appointmentsRoutes from './routes/appointments/index.js';
import ledgerRoutes from './routes/ledger/index.js';
import mailboxRoutes from './routes/mailbox/index.js';
import personImportRoutes from './routes/person-import/index.js';
import uploadsRoutes from './routes/uploads/index.js';
import personFilesRoutes from './routes/person-files/index.js';
import crmOverviewRoutes from './routes/crm/overview.js';
import trackTraceRoutes from './routes/products/track-trace.js';
import liveRoutes from './routes/live/index.js';
import type { AppDeps } from './types.js';
import { buildValidator } from './validation.js';
import { XmlParsePool } from '../integrations/xml/index.js';
import { defaultXmlBodyLimits } from './plugins/xml-body.js';

export type { AppDeps, Principal, RiskDeps, TemporalDeps, UiDeps } from './types.js';

export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    logger: deps.logger ?? false,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    // Fastify's own refusals answer problem+json too (api/plugins/problem.ts).
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: problemFrameworkErrors,
    clientErrorHandler: problemClientErrorHandler,
    // A missing Host header is refused by the problem plugin (as problem+json), not by Node with an empty 400.
    http: { requireHostHeader: false },
    // One Ajv for JSON bodies (no type coercion) and one for querystring, params and headers
    // (text read as the numbers and booleans their schemas say); both apply the text rule.
    schemaController: { compilersFactory: { buildValidator: buildValidator() } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The XML routes parse in this pool's threads; the app owns it and closes it with itself.
  const given = deps.xml ?? { pool: new XmlParsePool(), bodyLimits: { ...defaultXmlBodyLimits } };
  const xml = { ...given, refusals: given.refusals ?? new RefusedXmlBodies() };
  app.decorate('deps', { ...deps, xml });
  app.addHook('onClose', async () => {
    await xml.pool.close();
  });
  // `Expect:` other than 100-continue: Node would answer a bare 417; answer it as a problem instead.
  app.server.on('checkExpectation', answerExpectationFailed);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerSharedSchemas(app);

  app.register(problemPlugin);
  app.register(inputContractPlugin);
  // Security headers first (their onRequest hook runs before auth's, so refusals carry them too).
  app.register(securityHeadersPlugin);
  app.register(swaggerPlugin);
  // Cookies are parsed before auth reads the session cookie.
  app.register(cookiePlugin);
  app.register(authPlugin);
  // Party endpoint rate limits, keyed by the credential auth has resolved (after auth).
  app.register(rateLimitPlugin);

  app.register(healthRoutes);
  app.register(accessRoutes);
  app.register(personsRoutes);
  app.register(dossiersRoutes);
  app.register(productsRoutes);
  app.register(tasksRoutes);
  app.register(documentsRoutes);
  app.register(mailsRoutes);
  app.register(contactMomentsRoutes);
  app.register(checklistRoutes);
  app.register(portalRoutes);
  app.register(processDefinitionsRoutes);
  app.register(processDesignerRoutes);
  app.register(hdnRoutes);
  app.register(lenderDocumentsRoutes);
  app.register(billingRoutes);
  app.register(ocktoRoutes);
  app.register(riskRoutes);
  app.register(privacyRoutes);
  app.register(selectionsRoutes);
  app.register(crmRoutes);
  app.register(organisationsRoutes);
  app.register(familyRoutes);
  app.register(adviceExportRoutes);
  app.register(campaignsRoutes);
  app.register(appointmentsRoutes);
  app.register(ledgerRoutes);
  app.register(mailboxRoutes);
  app.register(personImportRoutes);
  app.register(uploadsRoutes);
  app.register(personFilesRoutes);
  app.register(crmOverviewRoutes);
  app.register(trackTraceRoutes);
  app.register(liveRoutes);
  // The adviser web UI at /ui/ (when ui/dist is built), `/` redirects there.
  app.register(uiPlugin, deps.ui?.demoToken ? { demoToken: deps.ui.demoToken } : {});

  return app;
}
