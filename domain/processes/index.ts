/** The process definitions shipped with the platform (seeded as published version 1). */
import type { ProcessDefinition } from '../process/definition.js';
import { mortgageProcessV1 } from './mortgage.process.js';
import { serviceProcessV1 } from './service.process.js';
import { insuranceProcessV1 } from './insurance.process.js';

export { mortgageProcessV1, serviceProcessV1 };

export const shippedProcesses: ProcessDefinition[] = [serviceProcessV1, mortgageProcessV1, insuranceProcessV1];

/**
 * Every mail/document template key a definition uses (sendMail, sendPortalActivation,
 * generateDocument, waitForDate reminder/onDate mails), sorted and without duplicates.
 * The seed uses it to check that each template exists.
 */
export function templateKeysUsed(def: ProcessDefinition): string[] {
  const keys = new Set<string>();
  for (const step of def.steps) {
    for (const action of step.actions) {
      switch (action.kind) {
        case 'sendMail':
        case 'sendPortalActivation':
        case 'generateDocument':
          keys.add(action.template);
          break;
        case 'waitForDate':
          if (action.reminder.mailTemplate) keys.add(action.reminder.mailTemplate);
          if (action.onDate?.mailTemplate) keys.add(action.onDate.mailTemplate);
          break;
        default:
          break;
      }
    }
  }
  for (const o of def.offerDeadlines ?? []) {
    if (o.reminder.mailTemplate) keys.add(o.reminder.mailTemplate);
    if (o.onDate?.mailTemplate) keys.add(o.onDate.mailTemplate);
  }
  return [...keys].sort();
}
