import { describe, expect, it } from 'vitest';
import { deriveRiskClass, overrideProblem, unknownAnswers, type RiskAnswers, type RiskClass, type RiskReasonCode } from './risk-class.js';

const clean: RiskAnswers = { identity: 'verified', screening: 'clear', income: 'explained', registrations: 'none' };
const a = (over: Partial<RiskAnswers>): RiskAnswers => ({ ...clean, ...over });

describe('deriveRiskClass', () => {
  const table: [string, RiskAnswers, boolean, RiskClass, RiskReasonCode[]][] = [
    ['everything clean', clean, false, 'Laag', []],
    ['sanction hit', a({ screening: 'sanction' }), false, 'Onacceptabel', ['sanction-hit']],
    ['sanction hit beats everything else', a({ screening: 'sanction', income: 'unexplained' }), false, 'Onacceptabel', ['sanction-hit', 'income-unexplained']],
    ['identity not verifiable', a({ identity: 'not-verified' }), false, 'Onacceptabel', ['identity-not-verified']],
    ['identity not shared (required)', a({ identity: 'unknown' }), false, 'Onacceptabel', ['identity-unknown']],
    ['screening not available (required)', a({ screening: 'unknown' }), false, 'Onacceptabel', ['screening-unknown']],
    ['refused to share', unknownAnswers, true, 'Onacceptabel', ['refused']],
    ['PEP', a({ screening: 'pep' }), false, 'Hoog', ['pep']],
    ['income unexplained', a({ income: 'unexplained' }), false, 'Hoog', ['income-unexplained']],
    ['income not shared', a({ income: 'unknown' }), false, 'Hoog', ['income-unknown']],
    ['negative registrations', a({ registrations: 'present' }), false, 'Hoog', ['registrations-present']],
    ['registrations not shared', a({ registrations: 'unknown' }), false, 'Hoog', ['registrations-unknown']],
    ['partial data: identity and screening only', a({ income: 'unknown', registrations: 'unknown' }), false, 'Hoog', ['income-unknown', 'registrations-unknown']],
    ['PEP with arrears lists both', a({ screening: 'pep', registrations: 'present' }), false, 'Hoog', ['pep', 'registrations-present']],
    ['missing identity with PEP: Onacceptabel, PEP still listed', a({ identity: 'unknown', screening: 'pep' }), false, 'Onacceptabel', ['identity-unknown', 'pep']],
  ];
  it.each(table)('%s', (_name, answers, refused, riskClass, reasons) => {
    expect(deriveRiskClass(answers, { refused })).toEqual({ riskClass, reasons });
  });
});

describe('overrideProblem', () => {
  it.each([
    [null, 'Hoog', 'Klant heeft documenten op papier aangeleverd', undefined],
    ['Laag', 'Hoog', 'Vermogen uit buitenland, nader onderzoek', undefined],
    ['Laag', 'Laag', 'Geen wijziging maar toch opgeslagen', 'the risk class is already Laag'],
    ['Laag', 'Middel', 'Een klasse die niet bestaat hier', 'riskClass must be one of Laag, Hoog, Onacceptabel'],
    ['Laag', 'Hoog', 'kort', 'a motivation of at least 10 characters is required'],
    ['Laag', 'Hoog', '          ', 'a motivation of at least 10 characters is required'],
  ] as const)('%s -> %s (%s)', (current, next, motivation, problem) => {
    expect(overrideProblem(current, next, motivation)).toBe(problem);
  });
});
