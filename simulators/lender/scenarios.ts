/**
 * Named scenarios: what the simulated lender answers to an AX, as data (a plan of steps), so
 * the flow runner stays generic and the admin view can show what is coming.
 */

export const scenarioNames = ['happy', 'rejected', 'cannot-process', 'technical-error', 'duplicates', 'reordered'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export function isScenarioName(value: unknown): value is ScenarioName {
  return typeof value === 'string' && (scenarioNames as readonly string[]).includes(value);
}

/** One thing the lender does; every `status`/`offer`/`documents` step sends one message. */
export type PlanStep =
  | { do: 'status'; code: string }
  | { do: 'offer'; offerType: '18' | '00' }
  | { do: 'documents'; phase: 'requested' | 'approved' }
  /** Wait until a DX arrived for every DA line the lender did not fetch itself. */
  | { do: 'awaitDocuments' };

export interface Plan {
  steps: readonly PlanStep[];
  /** How often each message is delivered (2 = every message arrives twice). */
  copies: number;
}

const status = (code: string): PlanStep => ({ do: 'status', code });

function happySteps(waitForDocuments: boolean): PlanStep[] {
  return [
    status('09'),
    status('10'),
    { do: 'documents', phase: 'requested' },
    { do: 'offer', offerType: '18' },
    status('22'),
    status('12'),
    ...(waitForDocuments ? [{ do: 'awaitDocuments' } as const, { do: 'documents', phase: 'approved' } as const] : []),
    status('04'),
    { do: 'offer', offerType: '00' },
    status('23'),
    status('05'),
    status('31'),
    status('26'),
    status('20'),
  ];
}

/** Swaps the first step matching `a` with the first matching `b` (both must exist). */
function swap(steps: PlanStep[], a: (s: PlanStep) => boolean, b: (s: PlanStep) => boolean): PlanStep[] {
  const i = steps.findIndex(a);
  const j = steps.findIndex(b);
  if (i < 0 || j < 0) throw new Error('scenario definition: step to swap not found');
  const out = [...steps];
  [out[i], out[j]] = [steps[j]!, steps[i]!];
  return out;
}

const isStatus = (code: string) => (s: PlanStep) => s.do === 'status' && s.code === code;
const isRateOffer = (s: PlanStep) => s.do === 'offer' && s.offerType === '18';

export function planFor(scenario: ScenarioName, opts: { waitForDocuments: boolean }): Plan {
  switch (scenario) {
    case 'happy':
      return { steps: happySteps(opts.waitForDocuments), copies: 1 };
    case 'duplicates':
      return { steps: happySteps(opts.waitForDocuments), copies: 2 };
    case 'reordered':
      // Delivery is unordered: a late SX09 after SX10, a status before the offer it announces.
      return { steps: swap(swap(happySteps(opts.waitForDocuments), isStatus('09'), isStatus('10')), isRateOffer, isStatus('22')), copies: 1 };
    case 'rejected':
      return { steps: [status('09'), status('10'), status('11')], copies: 1 };
    case 'cannot-process':
      // The sender always gets an answer, also when the lender cannot take the application.
      return { steps: [status('14')], copies: 1 };
    case 'technical-error':
      return { steps: [status('25')], copies: 1 };
  }
}
