/**
 * The layer rule of docs/ARCHITECTURE.md (domain ← integrations ← services ← {api, activities};
 * workflows import only domain/ and activity contracts), run through the project's real
 * eslint.config.js on deliberate violations it must refuse and on imports it must allow.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/settings.js';

const eslint = new ESLint({ cwd: projectRoot });

async function problemsIn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const layerRule = /no-restricted-imports: .*Layer rule/;

describe('layer rule', () => {
  it.each([
    // domain is pure and below everything
    ['domain/billing/example.ts', "import { invoiceRowOf } from '../../services/billing/store.js';"],
    ['domain/hdn/example.ts', "import { parseHdn } from '../../integrations/hdn/codec.js';"],
    ['domain/example.ts', "import { createOrm } from '../db/orm.js';"],
    // integrations know nothing of the platform's inside
    ['integrations/hdn/example.ts', "import { insertProduct } from '../../services/products/store.js';"],
    ['integrations/risk/example.ts', "import { createOrm } from '../../db/orm.js';"],
    // services are HTTP-free and below the adapters
    ['services/billing/example.ts', "import { buildApp } from '../../api/app.js';"],
    ['services/hdn/example.ts', "import { HttpProblem } from '../../api/problem.js';"],
    ['services/ockto/example.ts', "import { createOcktoActivities } from '../../activities/ockto.activities.js';"],
    ['services/products/example.ts', "import { productWorkflow } from '../../workflows/products/product.workflow.js';"],
    // the API does not reach into the worker side
    ['api/routes/billing/example.ts', "import { createBillingActivities } from '../../../activities/billing.activities.js';"],
    // activity contracts are read by workflows: domain types only
    ['activities/example.contract.ts', "import type { InvoiceRow } from '../services/billing/store.js';"],
    // workflows: domain and activity contracts only
    ['workflows/products/example.ts', "import { insertProduct } from '../../services/products/store.js';"],
    ['workflows/products/example.ts', "import { createProductActivities } from '../../activities/products.activities.js';"],
    // simulators speak the wire formats, nothing of the inside
    ['simulators/lender/example.ts', "import { recordLenderMessages } from '../../services/hdn/lender-messages.js';"],
  ])('refuses in %s: %s', async (file, line) => {
    expect((await problemsIn(file, `${line}\nexport const x = 1;\n`)).join('\n')).toMatch(layerRule);
  });

  it('refuses fastify in services/', async () => {
    const problems = await problemsIn('services/crm/example.ts', "import Fastify from 'fastify';\nexport const x = Fastify;\n");
    expect(problems.join('\n')).toMatch(/services\/ are free of HTTP/);
  });

  it.each([
    ['integrations/sepa/example.ts', "import { invoiceStatuses } from '../../domain/billing/closed-lists.js';"],
    ['integrations/hdn/example.ts', "import { parseUntrustedXml } from '../xml/parse.js';"],
    ['services/billing/example.ts', "import { parseCamt } from '../../integrations/sepa/camt.js';"],
    ['services/billing/example.ts', "import { invoiceSignal } from '../../workflows/billing/billing.messages.js';"],
    ['services/hdn/example.ts', "import type { productWorkflow } from '../../workflows/index.js';"],
    ['services/hdn/example.ts', "import { insertProduct } from '../products/store.js';"],
    ['activities/example.ts', "import { issueInvoice } from '../services/billing/invoicing.js';"],
    ['api/routes/hdn/example.ts', "import { receiveHdn } from '../../../services/hdn/inbound.js';"],
    ['workflows/products/example.ts', "import type { ProductActivities } from '../../activities/products.contract.js';"],
    ['workflows/products/example.ts', "import { decideSx } from '../../domain/hdn/status.js';"],
  ])('allows in %s: %s', async (file, line) => {
    const problems = await problemsIn(file, `${line}\nexport const x = 1;\n`);
    expect(problems.filter((p) => /no-restricted-imports/.test(p))).toEqual([]);
  });
});
