/**
 * The XSD hook as the inbound and outbound paths use it: one validator per configured folder
 * (XSD_DIR_HDN, XSD_DIR_AFD; absent = that side is not validated), and the verdict a path acts on.
 *
 *   const xsd = xsdHookFromSettings(settings, pool)      { hdn?, afd? }
 *   const result = await xsd.hdn?.validate(body)          undefined: no folder, nothing to do
 *   const verdict = xsdVerdict(result)                    park (with the validator's words) or pass
 *
 * With a pool (the API) the validation runs in a pool thread; without one (the RISK poller, an
 * activity checking a message we built) it runs in line, blocking for the parse and validation.
 */
import type { XmlLimits } from './parse.js';
import type { XmlParsePool } from './pool.js';
import { describeXsdFolder, describeXsdFolderOffThread, validateWithXsdFolder, validateXmlOffThread, xsdFailureReason, type XsdFolderSummary, type XsdValidationResult } from './schema-validation.js';

/**
 * Extra time a pool job gets on top of the pool's budget: a thread compiles the folder on its
 * first job (a member XSD set is dozens of files). The body was already accepted by the codec
 * within the pool's own budget before it is validated, so this does not extend a hostile body's.
 */
export const XSD_COMPILE_ALLOWANCE_MS = 10_000;

export class XsdFolderValidator {
  constructor(
    readonly dir: string,
    /** Starts the hardened reader's messages ("HDN message"). */
    readonly label: string,
    private readonly pool: XmlParsePool | undefined,
    /** The hardened reader's limits for these messages (the codec's own). */
    private readonly limits: Partial<XmlLimits> = {},
    /** Element paths exempt from maxTextLength (base64 documents). */
    private readonly longTextElements: readonly string[] = [],
  ) {}

  /** Validates a message (as received, or as we built it). Rejects only with XmlPoolError (timeout, crash, busy). */
  validate(input: string | Uint8Array): Promise<XsdValidationResult> {
    const options = { label: this.label, limits: this.limits, longTextElements: [...this.longTextElements] };
    if (!this.pool) return Promise.resolve(validateWithXsdFolder(this.dir, input, options));
    return validateXmlOffThread(this.pool, this.dir, input, { ...options, timeoutMs: this.pool.options.timeoutMs + XSD_COMPILE_ALLOWANCE_MS });
  }

  /** What the folder holds and what did not compile, for the start-up log (throws XsdFolderError on an unusable folder). */
  describe(): Promise<XsdFolderSummary> {
    if (!this.pool) return Promise.resolve(describeXsdFolder(this.dir));
    return describeXsdFolderOffThread(this.pool, this.dir, this.pool.options.timeoutMs + XSD_COMPILE_ALLOWANCE_MS);
  }
}

export interface XsdHook {
  hdn?: XsdFolderValidator;
  afd?: XsdFolderValidator;
}

export interface XsdHookSettings {
  xsdDirHdn?: string;
  xsdDirAfd?: string;
}

export interface XsdHookLimits {
  hdn?: { limits?: Partial<XmlLimits>; longTextElements?: readonly string[] };
  afd?: { limits?: Partial<XmlLimits>; longTextElements?: readonly string[] };
}

/** One validator per folder that is set; none set = an empty hook (no validation anywhere). */
export function xsdHookFromSettings(settings: XsdHookSettings, pool?: XmlParsePool, limits: XsdHookLimits = {}): XsdHook {
  return {
    ...(settings.xsdDirHdn ? { hdn: new XsdFolderValidator(settings.xsdDirHdn, 'HDN message', pool, limits.hdn?.limits, limits.hdn?.longTextElements) } : {}),
    ...(settings.xsdDirAfd ? { afd: new XsdFolderValidator(settings.xsdDirAfd, 'RISK message', pool, limits.afd?.limits, limits.afd?.longTextElements) } : {}),
  };
}

/**
 * What a path does with a result: `park` a message that fails (stored, with the validator's words
 * as the reason), `pass` one that is valid, was not checked (no folder: undefined), or could not be
 * checked (no schema for its root, schema does not compile: `note` says why, for the log; parking
 * every message for a configuration problem would stop all traffic).
 */
export type XsdVerdict = { action: 'pass'; note?: string } | { action: 'park'; reason: string };

export function xsdVerdict(result: XsdValidationResult | undefined): XsdVerdict {
  if (result === undefined || result.status === 'valid') return { action: 'pass' };
  if (result.status === 'unchecked') return { action: 'pass', note: xsdFailureReason(result) };
  return { action: 'park', reason: xsdFailureReason(result) };
}
