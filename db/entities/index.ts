/** All MikroORM entities of dossierflow (defineEntity schemas, scalar foreign-key columns). */
import { ApiCredential, Office } from './access.entity.js';
import { Person } from './crm.entity.js';
import { Dossier, DossierApplicant, DossierCounter, DossierEvent } from './dossiers.entity.js';
import { ProcessDefinitionRecord } from './process.entity.js';
import { Product, ProductHistory, ProductPart, StepPayload } from './products.entity.js';
import { Checklist, ChecklistItem, ChecklistItemFile, ContactMoment, Document, Mail, Task } from './work.entity.js';
import { PortalActivation, PortalSession } from './portal.entity.js';
import { Template } from './templates.entity.js';
import { HdnApplicationRecord, HdnDocumentLineRecord, HdnLender, HdnMessageRecord } from './hdn.entity.js';
import { billingEntities } from './billing.entity.js';
import { riskEntities } from './insurance.entity.js';
import { ocktoEntities } from './ockto.entity.js';
import { Appointment } from './appointments.entity.js';
import { Upload, UploadChunk } from './uploads.entity.js';
import { PersonFile, PersonFileEvent } from './person-files.entity.js';

export * from './access.entity.js';
export * from './crm.entity.js';
export * from './dossiers.entity.js';
export * from './process.entity.js';
export * from './products.entity.js';
export * from './work.entity.js';
export * from './portal.entity.js';
export * from './templates.entity.js';
export * from './hdn.entity.js';
export * from './billing.entity.js';
export * from './insurance.entity.js';
export * from './ockto.entity.js';
export * from './appointments.entity.js';
export * from './uploads.entity.js';
export * from './person-files.entity.js';

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
  ChecklistItemFile,
  ContactMoment,
  Mail,
  Document,
  PortalActivation,
  PortalSession,
  Template,
  HdnLender,
  HdnMessageRecord,
  HdnApplicationRecord,
  HdnDocumentLineRecord,
  ...billingEntities,
  ...riskEntities,
  ...ocktoEntities,
  Appointment,
  Upload,
  UploadChunk,
  PersonFile,
  PersonFileEvent,
];
