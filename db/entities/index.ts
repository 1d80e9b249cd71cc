/** All MikroORM entities of dossierflow (defineEntity schemas, scalar foreign-key columns). */
import { ApiCredential, Office } from './office.entity.js';
import { Person } from './person.entity.js';
import { Dossier, DossierApplicant, DossierCounter, DossierEvent } from './dossier.entity.js';
import { ProcessDefinitionRecord } from './process.entity.js';
import { Product, ProductHistory, ProductPart, StepPayload } from './product.entity.js';
import { Checklist, ChecklistItem, ContactMoment, Task } from './work.entity.js';
import { Mail } from './mail.entity.js';
import { Document } from './document.entity.js';
import { PortalActivation } from './portal.entity.js';
import { Template } from './template.entity.js';
import { HdnApplicationRecord, HdnDocumentLineRecord, HdnLender, HdnMessageRecord } from './hdn.entity.js';
import { billingEntities } from './billing.entity.js';
import { riskEntities } from './risk.entity.js';
import { ocktoEntities } from './ockto.entity.js';

export * from './office.entity.js';
export * from './person.entity.js';
export * from './dossier.entity.js';
export * from './process.entity.js';
export * from './product.entity.js';
export * from './work.entity.js';
export * from './mail.entity.js';
export * from './document.entity.js';
export * from './portal.entity.js';
export * from './template.entity.js';
export * from './hdn.entity.js';
export * from './billing.entity.js';
export * from './risk.entity.js';
export * from './ockto.entity.js';

export const entities = [
  Office,
  ApiCredential,
  Person,
  Dossier,
  DossierApplicant,
  DossierEvent,
  DossierCounter,
  ProcessDefinitionRecord,
  Product,
  ProductPart,
  ProductHistory,
  StepPayload,
  Task,
  Checklist,
  ChecklistItem,
  ContactMoment,
  Mail,
  Document,
  PortalActivation,
  Template,
  HdnLender,
  HdnMessageRecord,
  HdnApplicationRecord,
  HdnDocumentLineRecord,
  ...billingEntities,
  ...riskEntities,
  ...ocktoEntities,
];
