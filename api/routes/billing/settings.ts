/** GET/PUT /billing/settings: the office's creditor, payment term, storno policy and reminder mode. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getBillingSettings, putBillingSettings } from '../../../services/billing/settings.js';
import { principalOf } from '../../plugins/auth.js';
import { BillingSettingsSchema, BillingSettingsUpdateSchema } from '../../../services/billing/schemas.js';
import { problemResponses, ref } from '../../../services/shared/schemas.js';

const security = [{ bearer: [] }];

const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/billing/settings',
    {
      // Admins may do what advisers may (roleSatisfies); advisers read, only admins write.
      config: { roles: ['adviser'] },
      schema: {
        tags: ['billing'],
        summary: "The office's billing settings (defaults when never set)",
        security,
        response: { 200: ref(BillingSettingsSchema), ...problemResponses(401, 403) },
      },
    },
    async (request) => getBillingSettings(app.deps.orm.em.fork(), principalOf(request).officeId),
  );

  app.put(
    '/billing/settings',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['billing'],
        summary: 'Set the billing settings (admin): the whole setting, every problem listed when refused',
        description:
          'The creditor IBAN and creditor id are checked (check digits, length per country); the storno policy is ' +
          'checked as a whole (codes that must never be re-collected, such as AC04 or MD01, may not re-collect). ' +
          'Nothing is stored when any check fails. `reminderMode` decides who sends reminders: the invoice workflow ' +
          '(`workflow`) or users through reminder runs (`module`); never both.',
        security,
        body: ref(BillingSettingsUpdateSchema),
        response: { 200: ref(BillingSettingsSchema), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => putBillingSettings(app.deps.orm.em.fork(), principalOf(request).officeId, request.body),
  );
};

export default settingsRoutes;
