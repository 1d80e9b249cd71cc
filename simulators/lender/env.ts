/**
 * Options of the stand-alone simulator from the environment, each bad value named (all at once,
 * so one run tells everything that is wrong):
 *
 *   LENDER_PORT                default 8090 (0 = any free port)
 *   LENDER_HOST                default 127.0.0.1
 *   LENDER_NODE                default LND001 (6 letters/digits)
 *   LENDER_INBOUND_TOKEN       required: bearer token the platform presents on POST /hdn
 *   LENDER_DELIVER_URL         required: the platform's inbound HDN endpoint (http/https)
 *   LENDER_DELIVER_TOKEN       required: bearer token the lender presents there
 *   LENDER_SCENARIO            default happy
 *   LENDER_STEP_DELAY_MS       default 2000
 *   LENDER_SX09_DELAY_MS       default 1000
 *   LENDER_WAIT_FOR_DOCUMENTS  true/false, default false
 *   LENDER_PLATFORM_PORT       set = also speak the HDN API platform (platform-transport.ts) on this port;
 *                              then required: LENDER_PLATFORM_TLS_KEY / _CERT / _CA (PEM files: its node
 *                              certificate with CN = LENDER_NODE, and the CA) and LENDER_PLATFORM_DELIVER_URL
 *                              (the platform's listener, https), where it then delivers instead of LENDER_DELIVER_URL
 */
import { readFileSync } from 'node:fs';
import { isScenarioName, scenarioNames } from './scenarios.js';
import type { LenderSimulatorOptions } from './simulator.js';

export class LenderConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Lender simulator settings are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'LenderConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function lenderOptionsFromEnv(env: Env): Omit<LenderSimulatorOptions, 'log'> {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const integer = (name: string, fallback: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) > max) {
      problems.push(`${name} must be a whole number 0..${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return Number(raw);
  };
  const token = (name: string): string => {
    const raw = value(name);
    if (raw === undefined) problems.push(`${name} is required (a bearer token)`);
    else if (/\s/.test(raw)) problems.push(`${name} must not contain whitespace`);
    return raw ?? '';
  };

  const port = integer('LENDER_PORT', 8090, 65535);
  const stepDelayMs = integer('LENDER_STEP_DELAY_MS', 2000, 86_400_000);
  const sx09DelayMs = integer('LENDER_SX09_DELAY_MS', 1000, 86_400_000);
  const inboundToken = token('LENDER_INBOUND_TOKEN');
  const deliverToken = token('LENDER_DELIVER_TOKEN');

  const deliverUrl = value('LENDER_DELIVER_URL');
  if (deliverUrl === undefined) problems.push("LENDER_DELIVER_URL is required (the URL of the platform's inbound HDN endpoint)");
  else if (!isHttpUrl(deliverUrl)) problems.push(`LENDER_DELIVER_URL must be an http(s) URL, got ${JSON.stringify(deliverUrl)}`);

  const scenario = value('LENDER_SCENARIO') ?? 'happy';
  if (!isScenarioName(scenario)) problems.push(`LENDER_SCENARIO must be one of ${scenarioNames.join(', ')}, got ${JSON.stringify(scenario)}`);

  const nodeNumber = value('LENDER_NODE') ?? 'LND001';
  if (!/^[A-Za-z0-9]{6}$/.test(nodeNumber)) problems.push(`LENDER_NODE must be 6 letters/digits, got ${JSON.stringify(nodeNumber)}`);

  const waitRaw = value('LENDER_WAIT_FOR_DOCUMENTS')?.toLowerCase() ?? 'false';
  if (waitRaw !== 'true' && waitRaw !== 'false') problems.push(`LENDER_WAIT_FOR_DOCUMENTS must be true or false, got ${JSON.stringify(waitRaw)}`);

  const platformPortRaw = value('LENDER_PLATFORM_PORT');
  let platform: LenderSimulatorOptions['platform'];
  if (platformPortRaw !== undefined) {
    const platformPort = integer('LENDER_PLATFORM_PORT', 0, 65535);
    const pem = (name: string): Buffer => {
      const file = value(name);
      if (file === undefined) {
        problems.push(`${name} is required when LENDER_PLATFORM_PORT is set (a PEM file)`);
        return Buffer.alloc(0);
      }
      try {
        return readFileSync(file);
      } catch {
        problems.push(`${name} must be a readable PEM file, got ${JSON.stringify(file)}`);
        return Buffer.alloc(0);
      }
    };
    const tls = { key: pem('LENDER_PLATFORM_TLS_KEY'), cert: pem('LENDER_PLATFORM_TLS_CERT'), ca: pem('LENDER_PLATFORM_TLS_CA') };
    const platformUrl = value('LENDER_PLATFORM_DELIVER_URL');
    if (platformUrl === undefined || !platformUrl.startsWith('https://') || !isHttpUrl(platformUrl)) {
      problems.push(`LENDER_PLATFORM_DELIVER_URL must be an https URL when LENDER_PLATFORM_PORT is set, got ${JSON.stringify(platformUrl ?? '')}`);
    }
    platform = { port: platformPort, tls, deliverUrl: platformUrl ?? '' };
  }

  if (problems.length > 0 || !isScenarioName(scenario)) throw new LenderConfigError(problems);
  return {
    port,
    host: value('LENDER_HOST') ?? '127.0.0.1',
    nodeNumber,
    inboundToken,
    deliverTo: { url: deliverUrl ?? '', token: deliverToken },
    scenario,
    stepDelayMs,
    sx09DelayMs,
    waitForDocuments: waitRaw === 'true',
    ...(platform ? { platform } : {}),
  };
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
