/**
 * The one hardened XML reader, used by the HDN, SEPA and RISK integrations (and the only module
 * that configures fast-xml-parser for untrusted input):
 *
 *   parseUntrustedXml(input, { label, maxBytes, maxDepth, namespaces, rawTextElements })
 *     -> { document, rootTag }                       throws XmlError (type from XmlErrorType)
 *   XmlElement.of(path, value)                       reads the object form with element paths
 *
 * Integrations translate XmlError into their own error type by `type`, keeping message and path.
 */
export { XmlError, XmlErrorType, translateXmlErrors, type XmlErrorDetails, type XmlForbiddenConstruct } from './errors.js';
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
export { NOT_XML_CHAR, clip } from './lexer.js';
