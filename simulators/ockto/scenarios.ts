/**
 * What the simulated client does with an Ockto session, as data: share (clean, PEP, sanction
 * hit, partial data), decline, or never act (our platform's timeout then ends the retrieval).
 */
import type { OcktoSection, OcktoSessionStatus, OcktoSourceData } from '../../integrations/ockto/types.js';

export const ocktoScenarioNames = ['shares', 'shares-pep', 'sanction', 'arrears', 'partial', 'declines', 'never'] as const;
export type OcktoScenarioName = (typeof ocktoScenarioNames)[number];

export function isOcktoScenarioName(value: unknown): value is OcktoScenarioName {
  return typeof value === 'string' && (ocktoScenarioNames as readonly string[]).includes(value);
}

export interface ScenarioOutcome {
  status: Exclude<OcktoSessionStatus, 'pending'>;
  data?: OcktoSourceData;
  missing?: OcktoSection[];
}

/** Fictitious data: the simulator never knows the real person (personRef is an opaque id). */
function cleanData(checkedOn: string): Required<OcktoSourceData> {
  return {
    identity: { source: 'BRP', verified: true, firstNames: 'Testpersoon', lastName: 'Simulatie', birthDate: '1985-06-15', nationality: 'NL' },
    screening: { sanctionListHit: false, pep: false, checkedOn },
    income: { employment: [{ employer: 'Voorbeeld Werkgever B.V.', yearlyCents: 5_400_000 }], pension: [], benefits: [] },
    registrations: { negativeCreditRegistrations: 0, taxArrearsCents: 0 },
  };
}

/** The outcome of a scenario once the simulated client acts; undefined: the client never acts. */
export function outcomeOf(scenario: OcktoScenarioName, today: string): ScenarioOutcome | undefined {
  const data = cleanData(today);
  switch (scenario) {
    case 'shares':
      return { status: 'shared', data };
    case 'shares-pep':
      return { status: 'shared', data: { ...data, screening: { ...data.screening, pep: true } } };
    case 'sanction':
      return { status: 'shared', data: { ...data, screening: { ...data.screening, sanctionListHit: true } } };
    case 'arrears':
      return { status: 'shared', data: { ...data, registrations: { negativeCreditRegistrations: 1, taxArrearsCents: 125_000 } } };
    case 'partial':
      return { status: 'shared', data: { identity: data.identity, screening: data.screening }, missing: ['income', 'registrations'] };
    case 'declines':
      return { status: 'declined' };
    case 'never':
      return undefined;
  }
}
