/**
 * The one hardened XML reader, used by the HDN, SEPA and RISK integrations (and the only module
 * that configures fast-xml-parser for untrusted input):
 *
 *   parseUntrustedXml(input, { label, maxBytes, maxDepth, maxElements, maxAttributesPerElement,
 *     maxAttributes, maxTextLength, namespaces, rawTextElements, longTextElements })
 *     -> { document, rootTag }                       throws XmlError (type from XmlErrorType)
 *   XmlElement.of(path, value)                       reads the object form with element paths
 *
 *   new XmlLimitScanner(limits).feed(chunk) -> cut | undefined   the counting limits on bytes as
 *     they arrive (limit-scan.ts): the API stops reading a body once it is over one
 *   new XmlParsePool(options).run({ module, fn, args }, revive)   runs a codec's parse in a worker
 *     thread with a time budget (pool.ts); each codec offers `parse<X>OffThread(pool, xml)`.
 *
 *   loadXsdFolder(dir) / validateXml(set, bytes)      XSD validation against an office's schema
 *   xsdHookFromSettings(settings, pool) -> { hdn?, afd? }  folder (schema-validation.ts, schema-hook.ts)
 *
 * Integrations translate XmlError into their own error type by `type`, keeping message and path.
 */
export { XmlError, XmlErrorType, translateXmlErrors, type XmlCountLimit, type XmlErrorDetails, type XmlForbiddenConstruct } from './errors.js';
export {
  ATTRIBUTE_PREFIX,
  TEXT_KEY,
  defaultXmlLimits,
  parseUntrustedXml,
  resolveXmlLimits,
  type UntrustedXml,
  type XmlLimits,
  type XmlParseOptions,
  type XmlRootTag,
} from './parse.js';
export { XmlElement, quoted } from './element.js';
export { NOT_XML_CHAR, clip, decodeRawText } from './lexer.js';
export { XmlLimitScanner, type StreamScanLimits } from './limit-scan.js';
export {
  XmlParsePool,
  XmlPoolError,
  defaultXmlPoolOptions,
  type ErrorReviver,
  type SerializedError,
  type XmlJob,
  type XmlPoolFailure,
  type XmlPoolOptions,
} from './pool.js';
export {
  MAX_REPORTED_ISSUES,
  XsdFolderError,
  loadXsdFolder,
  summarizeXsdSet,
  validateXml,
  validateXmlOffThread,
  xsdFailureReason,
  type XsdFolderSummary,
  type XsdIssue,
  type XsdLoadProblem,
  type XsdRoot,
  type XsdSet,
  type XsdValidateOptions,
  type XsdValidationResult,
} from './schema-validation.js';
export { XsdFolderValidator, xsdHookFromSettings, xsdVerdict, type XsdHook, type XsdVerdict } from './schema-hook.js';
