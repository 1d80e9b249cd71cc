/** The HDN transports from the settings: the outbound router and the listener's TLS material. */
import { readFileSync } from 'node:fs';
import type { Settings } from '../../../config/settings.js';
import { createHdnGateway, type HdnGateway } from '../gateway.js';
import { createHdnPlatformClient, type HdnPlatformTls } from './client.js';
import { createHdnTransportRouter } from './router.js';

export type HdnTransportSettings = Pick<
  Settings,
  'hdnGatewayUrl' | 'hdnGatewayToken' | 'hdnTransport' | 'hdnPlatformNodes' | 'hdnPlatformUrl' | 'hdnPlatformTlsKey' | 'hdnPlatformTlsCert' | 'hdnPlatformTlsCa'
>;

/** Our node's key and certificate and the trusted CAs, read once; undefined when not all three are set. */
export function hdnPlatformTlsFromSettings(s: Pick<Settings, 'hdnPlatformTlsKey' | 'hdnPlatformTlsCert' | 'hdnPlatformTlsCa'>): HdnPlatformTls | undefined {
  if (!s.hdnPlatformTlsKey || !s.hdnPlatformTlsCert || !s.hdnPlatformTlsCa) return undefined;
  return { key: readFileSync(s.hdnPlatformTlsKey), cert: readFileSync(s.hdnPlatformTlsCert), ca: readFileSync(s.hdnPlatformTlsCa) };
}

/**
 * What sends our messages to lenders: the XML gateway, the platform client, or a router between
 * them; undefined when neither is configured (sending then fails with a reason, as before).
 */
export function hdnOutboundFromSettings(s: HdnTransportSettings): HdnGateway | undefined {
  const xml = s.hdnGatewayUrl && s.hdnGatewayToken ? createHdnGateway({ url: s.hdnGatewayUrl, token: s.hdnGatewayToken }) : undefined;
  const tls = hdnPlatformTlsFromSettings(s);
  const platform = s.hdnPlatformUrl && tls ? createHdnPlatformClient({ url: s.hdnPlatformUrl, tls }) : undefined;
  if (!platform && s.hdnTransport === 'xml' && s.hdnPlatformNodes.length === 0) return xml;
  if (!xml && !platform) return undefined;
  return createHdnTransportRouter({
    ...(xml ? { xml } : {}),
    ...(platform ? { platform } : {}),
    defaultTransport: s.hdnTransport,
    platformNodes: s.hdnPlatformNodes,
  });
}
