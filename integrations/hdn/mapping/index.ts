/**
 * The versioned HDN mapping layer (docs/design/hdn-mapping.md): one data file per HDN version
 * (`versions/<v>.json`) holding element paths and code lists, and a generic reader/writer over
 * the parsed tree. Not yet used by codec.ts / the simulators: that is the migration in the doc.
 *
 *   hdnMappingFor(berichtVersie, options?) -> { mapping, exact }   the file for a message
 *   loadHdnMapping(versionOrFile, options?) / parseHdnMapping(text, file, options?)
 *   readMappedMessage(mapping, type, document) -> MappedMessage (fields, groups, codes, rest)
 *   writeMappedMessage(mapping, message) -> object form for fast-xml-parser's builder
 *   rawTextElementsFor(mapping, type)    the parser's rawTextElements (base64 leaves)
 *   statusView / offerView / documentRequestView / applicationView / documentDeliveryView   typed views (views.ts)
 *   applicationToMapped / documentDeliveryToMapped(mapping, message)   typed builders (builders.ts)
 *   (the read entry point for both shapes is ../read.ts: readHdnMessage)
 */
export { HdnMappingError, availableHdnVersions, hdnMappingFor, hdnMappingVersionsDir, loadHdnMapping, parseHdnMapping, type CodeStatus, type HdnMapping, type HdnMappingOptions } from './load.js';
export { detectMappedMessageType, rawTextElementsFor, readMappedMessage, writeMappedMessage, type CodeObservation, type MappedFields, type MappedGroupItem, type MappedMessage, type MappedValue } from './tree.js';
export { valueKinds, hdnMappedMessageTypes, type CodeEntry, type CodeList, type FieldMapping, type GroupMapping, type HdnMappedMessageType, type HdnMappingFile, type MessageMapping, type ValueKind } from './schema.js';
export { applicationView, documentDeliveryView, documentRequestView, headerView, offerView, statusView, type HdnApplicantView, type HdnApplicationLoanPartView, type HdnApplicationView, type HdnChildView, type HdnDocumentDeliveryView, type HdnPropertyView, type HdnCodeView, type HdnDocumentLineView, type HdnDocumentRequestView, type HdnHeaderView, type HdnOfferLoanPartView, type HdnOfferView, type HdnStatusView } from './views.js';
export { applicationToMapped, codeFor, documentDeliveryToMapped, headerToMapped } from './builders.js';
