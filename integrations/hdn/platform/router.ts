/**
 * The transport choice per receiving lender: the HDN API platform (JSON envelope over mutual
 * TLS) or the XML gateway (bearer token). Settings: HDN_TRANSPORT (the default for every lender)
 * and HDN_PLATFORM_NODES (lender node numbers that use the platform whatever the default).
 */
import { HdnGatewayError, type HdnGateway } from '../gateway.js';
import { HdnErrorType } from '../types.js';

export type HdnTransportName = 'xml' | 'platform';

export interface HdnTransportRouterOptions {
  /** The XML gateway (HDN_GATEWAY_URL); absent = not configured. */
  xml?: HdnGateway;
  /** The platform client (HDN_PLATFORM_URL); absent = not configured. */
  platform?: HdnGateway;
  /** Transport of a lender not listed in `platformNodes`. */
  defaultTransport: HdnTransportName;
  /** Lender node numbers that always go over the platform. */
  platformNodes: readonly string[];
}

/** Which transport a message to `receiverNode` takes (undefined receiver: the default). */
export function transportFor(opts: Pick<HdnTransportRouterOptions, 'defaultTransport' | 'platformNodes'>, receiverNode: string | undefined): HdnTransportName {
  if (receiverNode !== undefined && opts.platformNodes.includes(receiverNode)) return 'platform';
  return opts.defaultTransport;
}

/** One HdnGateway that sends each message over its receiver's transport. */
export function createHdnTransportRouter(opts: HdnTransportRouterOptions): HdnGateway {
  return {
    send(xml, sendOpts = {}) {
      const transport = transportFor(opts, sendOpts.message?.receiverNode);
      const gateway = transport === 'platform' ? opts.platform : opts.xml;
      if (!gateway) {
        const setting = transport === 'platform' ? 'HDN_PLATFORM_URL' : 'HDN_GATEWAY_URL';
        // Not retryable: a missing setting does not appear by waiting.
        return Promise.reject(
          new HdnGatewayError(HdnErrorType.GatewayRejected, `Lender ${sendOpts.message?.receiverNode ?? '(unknown)'} takes the ${transport} transport, which is not configured (${setting})`),
        );
      }
      return gateway.send(xml, sendOpts);
    },
  };
}
