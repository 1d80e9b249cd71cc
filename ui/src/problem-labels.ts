/**
 * What an error alert says, in Dutch, for every problem type (`type` slug of a problem+json answer) the API can
 * give. The API keeps its details in English for the API clients (lenders, RISK, advice software); the web UI
 * shows these sentences instead (issue 20, deliverable 6). For the slugs in `dutchDetailSlugs` the server's own
 * detail is Dutch and more precise (a refused step names its reason), so the UI shows that detail.
 *
 * test/unit/problem-labels.test.ts collects every slug the server code can emit and fails when one has no label
 * here, or when a label names a slug the server no longer emits.
 */
export const problemLabel: Record<string, string> = {
  // HTTP and the request itself
  'bad-content-length': 'Het verzoek heeft een ongeldige lengte.',
  'bad-content-type': 'Het verzoek heeft een ongeldig inhoudstype.',
  'bad-header': 'Het verzoek bevat een ongeldige header.',
  'bad-method': 'Deze verzoekmethode bestaat niet.',
  'bad-request': 'Het verzoek is ongeldig.',
  'bad-url': 'Het adres is ongeldig.',
  'body-too-large': 'Wat u verstuurt is te groot.',
  'empty-body': 'Het verzoek is leeg.',
  'expectation-failed': 'Het verzoek vraagt iets wat de server niet ondersteunt.',
  'headers-too-large': 'De headers van het verzoek zijn te groot.',
  'invalid-utf8': 'De tekst bevat ongeldige tekens.',
  'malformed-json': 'Het verzoek is geen geldige JSON.',
  'method-not-allowed': 'Deze handeling is hier niet toegestaan.',
  'missing-host': 'Het verzoek mist de Host-header.',
  'not-found': 'Niet gevonden: het bestaat niet (meer) of hoort bij een ander kantoor.',
  'request-timeout': 'Het verzoek kwam niet op tijd binnen; probeer het opnieuw.',
  'route-not-found': 'Deze pagina of handeling bestaat niet.',
  'too-deep': 'De gegevens zijn te diep genest.',
  'too-many-requests': 'Te veel verzoeken; wacht even en probeer het opnieuw.',
  'uri-too-long': 'Het adres is te lang.',
  'unsupported-media-type': 'Dit soort bestand of gegevens wordt hier niet aangenomen.',
  validation: 'Niet alle velden zijn goed ingevuld.',
  internal: 'Er ging iets mis op de server; probeer het later opnieuw.',
  'not-ready': 'De server is nog niet klaar; probeer het zo opnieuw.',
  'ui-not-built': 'De webapplicatie is niet gebouwd.',
  // Sign-in and accounts
  'invalid-credentials': 'Onjuist e-mailadres of wachtwoord.',
  'totp-required': 'Dit account vraagt ook de code uit de authenticator-app.',
  'totp-invalid': 'Onjuiste code uit de authenticator-app.',
  'account-locked': 'Te veel mislukte aanmeldpogingen: het account is tijdelijk geblokkeerd. Probeer het later opnieuw.',
  'csrf-token-invalid': 'Uw sessie is verlopen of ongeldig; meld u opnieuw aan.',
  'email-taken': 'Er bestaat al een account met dit e-mailadres.',
  forbidden: 'U heeft geen rechten voor deze handeling.',
  'invitation-not-found': 'Deze uitnodiging is onbekend, al gebruikt of verlopen; vraag uw beheerder om een nieuwe.',
  'not-a-user-session': 'Alleen een aangemelde gebruiker heeft een tweede factor.',
  'not-accepted': 'De uitnodiging is nog niet geaccepteerd: het account heeft nog geen wachtwoord.',
  'own-account': 'U kunt uw eigen account niet uitschakelen.',
  'own-admin-role': 'U kunt de beheerdersrol niet van uw eigen account afhalen.',
  'totp-enabled': 'Verificatie in twee stappen staat al aan.',
  'totp-not-enrolled': 'Start eerst het instellen van verificatie in twee stappen.',
  unauthorized: 'U bent niet (meer) aangemeld.',
  // Client portal
  'activation-not-found': 'Deze activatielink is onbekend of verlopen; vraag uw adviseur om een nieuwe.',
  'not-a-portal-session': 'Alleen een portaalsessie heeft een eigen stukkenlijst.',
  'not-your-checklist': 'Deze regel van de stukkenlijst hoort bij een andere klant.',
  'not-your-dossier': 'Deze portaalsessie hoort niet bij dit dossier.',
  // CRM, persons, organisations, dossiers
  'already-linked': 'Deze persoon is al in deze rol aan de organisatie gekoppeld.',
  anonymised: 'Deze persoon is geanonimiseerd en kan geen contactpersoon worden.',
  'edited-meanwhile': 'Iemand anders heeft dit intussen gewijzigd; laad opnieuw en wijzig het nog eens.',
  'indicator-exists': 'Deze indicator bestaat al in dit kantoor.',
  'organisation-still-linked': 'De organisatie is nog gekoppeld; verwijder eerst de koppelingen of archiveer haar.',
  'person-anonymised': 'Deze persoon is geanonimiseerd; een nieuw dossier vraagt een levende relatie.',
  'person-not-in-dossier': 'Deze persoon is geen aanvrager van dit dossier.',
  'person-still-linked': 'De persoon kan niet worden verwijderd zolang er gegevens aan gekoppeld zijn.',
  'possible-duplicate': 'Dit lijkt een bestaande relatie of organisatie: dezelfde gegevens of het KvK-nummer zijn al in gebruik.',
  'property-exists': 'Een kenmerk met deze sleutel bestaat al in dit kantoor.',
  'relation-exists': 'Deze relatie bestaat al.',
  'relation-to-self': 'Een persoon kan geen relatie met zichzelf hebben.',
  'role-derived-from-product': 'Deze rol volgt uit het product (de maatschappij) en wordt niet los vastgelegd.',
  'same-applicant-twice': 'De twee aanvragers moeten verschillende personen zijn.',
  'unknown-applicant': 'Het dossier heeft deze aanvrager niet.',
  'unknown-dossier': 'Dit dossier hoort niet bij dit kantoor.',
  'unknown-indicator': 'Onbekende indicator in dit kantoor; er is niets gewijzigd.',
  'unknown-person': 'Deze persoon hoort niet bij dit kantoor.',
  'unknown-product': 'Dit product hoort niet bij dit dossier of kantoor.',
  'birth-date-missing': 'Een aanvrager heeft geen geboortedatum; het HDN-formulier vraagt die.',
  'no-applicants': 'Het dossier heeft geen aanvragers om te exporteren.',
  // Person import, selections
  'import-empty': 'Het bestand is leeg.',
  'import-exists': 'Deze import bestaat al; kies een nieuwe.',
  'import-header': 'De eerste rij moet de kolommen noemen; er is geen kolom achternaam gevonden.',
  'import-too-large': 'Het bestand heeft te veel rijen; splits het bestand.',
  'import-unreadable': 'Het bestand is geen leesbaar .xlsx-werkboek.',
  'duplicate-name': 'U heeft al een selectie met deze naam bewaard.',
  'invalid-date-range': 'De begindatum ligt na de einddatum.',
  'property-type-mismatch': 'Dit kenmerk heeft een ander type dan het filter.',
  'selection-too-large': 'De selectie is te groot; verfijn haar eerst.',
  'too-many-product-filters': 'Te veel productfilters.',
  'unknown-property': 'Dit CRM-kenmerk bestaat niet in dit kantoor.',
  // Processes, products, steps
  'draft-not-sound': 'Het concept heeft structurele fouten; herstel die eerst.',
  'draft-outdated': 'Na het begin van dit concept is een nieuwere versie gepubliceerd; vergelijk eerst.',
  'dry-run-unavailable': 'De proefrit kon niet starten; probeer het later opnieuw.',
  'invalid-process-definition': 'Het procesconcept bevat fouten; zie de meldingen bij de velden.',
  'invalid-step-input': 'De invoer van de stap is niet geldig.',
  'migration-outcome-unknown': 'De procesmotor bevestigde de migratie niet op tijd; bekijk het product om de versie te zien.',
  'migration-refused': 'De migratie is geweigerd.',
  'no-published-version': 'Dit proces heeft nog geen gepubliceerde versie.',
  'process-not-running': 'Het proces van het product loopt niet meer.',
  'same-version': 'De oude en nieuwe versie zijn gelijk.',
  'step-failed': 'De stap is mislukt.',
  'step-not-allowed': 'Deze stap is nu niet toegestaan.',
  'step-outcome-unknown': 'De procesmotor bevestigde de stap niet op tijd; probeer het opnieuw.',
  'unknown-base-version': 'De gekozen basisversie bestaat niet.',
  'unknown-checklist-profile': 'Onbekend profiel voor de stukkenlijst.',
  'unknown-step': 'Deze stap bestaat niet in het proces.',
  'workflow-unavailable': 'De procesmotor antwoordde niet; probeer het later opnieuw.',
  // Templates, mails
  'kind-changed': 'Een nieuwe versie van een sjabloon kan de soort niet veranderen.',
  'no-recipient': 'Er is geen aanvrager met een e-mailadres.',
  'subject-required': 'Een mailsjabloon heeft een onderwerp nodig.',
  'template-invalid': 'Het sjabloon is ongeldig.',
  'template-missing': 'Het sjabloon ontbreekt.',
  'unknown-template': 'Dit mailsjabloon bestaat niet.',
  // Checklists and documents
  'file-approved': 'Het bestand van deze regel is al goedgekeurd.',
  'file-deleted': 'Dit bestand is verwijderd.',
  'file-rejected': 'Het bestand van deze regel is afgekeurd; een nieuw bestand kan worden goedgekeurd.',
  'line-approved': 'Deze regel is goedgekeurd; een nieuw bestand wordt pas aangenomen als de goedkeuring verlopen is.',
  'line-has-no-file': 'Deze regel heeft geen bestand om goed te keuren.',
  'lender-file-type': 'De maatschappij neemt dit bestandstype niet aan; vraag om een PDF.',
  'lender-line-ambiguous': 'Meer regels van de maatschappij vragen om dit stuk; kies het product en de regel.',
  'no-lender-line': 'Geen open regel van de maatschappij vraagt om dit stuk.',
  // Uploads and files
  'beyond-upload-length': 'Er komt meer binnen dan de aangekondigde lengte van het bestand.',
  'empty-file': 'Het bestand is leeg.',
  'file-too-large': 'Bestanden tot 25 MB worden aangenomen.',
  'file-type-mismatch': 'Het bestand is niet van het type dat het zegt te zijn.',
  'scan-unavailable': 'De virusscan is mislukt; probeer het opnieuw.',
  'unsupported-file-type': 'Dit bestandstype wordt niet aangenomen.',
  'tus-version-unsupported': 'Deze versie van het uploadprotocol wordt niet ondersteund.',
  'upload-attached-elsewhere': 'Deze upload is al een bestand van een andere persoon.',
  'upload-complete': 'Deze upload is al compleet.',
  'upload-expired': 'De upload is niet op tijd afgerond en is verwijderd; begin opnieuw.',
  'upload-infected': 'De virusscan heeft het bestand geweigerd; het is verwijderd.',
  'upload-not-complete': 'De upload is nog niet compleet.',
  'upload-offset-mismatch': 'De upload loopt niet synchroon; hij gaat verder waar hij was.',
  'upload-too-large': 'Een bestand mag ten hoogste 25 MB zijn.',
  'upload-type-not-allowed': 'Dit bestandstype wordt niet aangenomen; stuur PDF, JPEG, PNG, HEIC of DOCX.',
  // Appointments
  'appointment-cancelled': 'De afspraak is geannuleerd.',
  'appointment-ended': 'De afspraak is begonnen of geannuleerd en kan niet meer worden gewijzigd.',
  'appointment-in-past': 'Een afspraak moet in de toekomst beginnen.',
  'appointment-not-yet-updated': 'De afspraak is nog niet bijgewerkt; probeer het zo opnieuw.',
  'appointment-refused': 'De afspraak kan niet worden gewijzigd.',
  'appointment-started': 'De afspraak is al begonnen.',
  'appointment-too-far': 'Een afspraak kan ten hoogste twee jaar vooruit worden gepland.',
  'nonexistent-local-time': 'Dit tijdstip bestaat niet: die nacht gaat de klok van 02:00 naar 03:00.',
  'unknown-adviser': 'Deze adviseur hoort niet bij het kantoor.',
  // Inbound mail
  'attachment-not-kept': 'Deze bijlage was te groot: alleen naam en grootte zijn bewaard.',
  'mailbox-not-configured': 'Voor dit kantoor is geen mailbox ingesteld.',
  'mailbox-unavailable': 'De mailbox is nu niet bereikbaar; probeer het later opnieuw.',
  // Billing
  'action-group-archived': 'Deze actiegroep is gearchiveerd.',
  'action-group-default': 'Dit is de standaard-aanmaningsladder van het kantoor; maak eerst een andere groep standaard.',
  'action-group-exists': 'Er bestaat al een actiegroep met deze naam.',
  'action-group-has-history': 'Deze actiegroep heeft al runs of uitvoeringen; archiveer haar in plaats van verwijderen.',
  'camt-invalid': 'Het bankbestand kon niet worden gelezen; er is niets geboekt.',
  'already-reversed': 'Deze boeking is al een storno.',
  'bank-file-unknown-original': 'Het statusrapport hoort bij geen incassobestand van dit kantoor.',
  'bank-file-wrong-account': 'Het bankbestand hoort bij een andere rekening; er is niets geboekt.',
  'bank-item-booked': 'Deze post is intussen geboekt.',
  'bank-item-not-matchable': 'Deze post kan niet aan een factuur worden gekoppeld.',
  'bank-item-not-unmatched': 'Alleen een niet-gekoppelde post kan met de hand worden gekoppeld.',
  'booking-needs-confirmation': 'De boeking is niet opgeslagen: bevestig haar eerst.',
  'contract-ending': 'Het contract eindigt voordat de volgende periode begint.',
  'contract-exists': 'Dit product heeft al een contract; wijzig dat contract.',
  'contract-not-found': 'Het contract bestaat niet (meer).',
  'credit-insufficient': 'Het tegoed van de klant is te laag.',
  'creditor-missing': 'Dit kantoor heeft nog geen incassant ingesteld (naam, IBAN, incassant-ID).',
  'idempotency-key-reused': 'Deze aanvraag is al voor een andere actie gebruikt.',
  'invalid-action-group': 'De actiegroep is ongeldig.',
  'invalid-billing-settings': 'De factuurinstellingen zijn ongeldig.',
  'invalid-collection-date': 'De incassodatum ligt in het verleden.',
  'invalid-contract': 'Het contract is ongeldig.',
  'invoice-not-found': 'De factuur bestaat niet (meer).',
  'invoice-not-remindable': 'Deze factuur kan niet (meer) worden aangemaand.',
  'invoice-pdf-missing': 'De factuur heeft nog geen PDF.',
  'nothing-to-collect': 'Er zijn geen facturen om te incasseren op deze datum.',
  'nothing-to-reverse': 'Deze factuur is nooit geïncasseerd: er valt niets te storneren.',
  'offset-more-than-open': 'Dit bedrag is hoger dan wat er op de factuur openstaat.',
  'offset-other-client': 'Een tegoed wordt alleen verrekend met facturen van dezelfde klant.',
  'reason-code-not-allowed': 'Een betaling heeft geen redencode; alleen een storno.',
  'reason-code-required': 'Een storno heeft de SEPA-redencode nodig.',
  'rejection-not-reversible': 'Deze incasso is door de bank geweigerd: er valt niets te storneren.',
  'reminder-action-not-found': 'Deze aanmaningsactie bestaat niet (meer).',
  'reminder-letter-missing': 'Deze aanmaning heeft geen brief gemaakt.',
  'reminder-mode-workflow': 'Dit kantoor maant aan in de factuurworkflow; schakel eerst over naar de aanmaningsmodule.',
  'run-too-large': 'Het filter kiest te veel facturen; verfijn het.',
  'sepa-invalid': 'Het incassobestand is niet gemaakt.',
  'unknown-action': 'Deze actie bestaat niet in de actiegroep.',
  // HDN
  'applicant-refused': 'De aanvragers in het AX-bericht zijn ongeldig.',
  'applicants-same-person': 'Beide aanvragers komen overeen met dezelfde persoon; corrigeer eerst de persoonsgegevens.',
  'application-mismatch': 'Het bericht gaat over een andere aanvraag dan dit product.',
  'document-not-sent': 'Het document is niet naar de maatschappij verstuurd.',
  'dossier-mismatch': 'Dit dossier heeft niet alle aanvragers van deze aanvraag; er is niets gewijzigd.',
  'hdn-duplicate-elsewhere': 'Dit bericht is al eerder ontvangen.',
  'hdn-gateway-rejected': 'De maatschappij heeft het bericht geweigerd; het is niet verstuurd.',
  'hdn-gateway-unavailable': 'De maatschappij is niet bereikbaar; het bericht wacht en wordt opnieuw verstuurd.',
  'hdn-invalid': 'Het HDN-bericht is ongeldig.',
  'hdn-line-not-sendable': 'Voor deze regel van de maatschappij kan geen document worden verstuurd.',
  'hdn-no-application': 'Dit product heeft geen HDN-aanvraag.',
  'hdn-no-node': 'Deze koppeling heeft geen HDN-nummer.',
  'hdn-platform-ambiguous-node': 'Het HDN-nummer hoort bij meer dan één kantoor.',
  'hdn-platform-certificate': 'Het certificaat van de afzender is niet geldig.',
  'hdn-platform-envelope': 'Dit is geen geldige envelop van het HDN-platform.',
  'hdn-platform-envelope-mismatch': 'De envelop en het bericht spreken elkaar tegen.',
  'hdn-platform-sender-mismatch': 'De afzender klopt niet met het certificaat.',
  'hdn-platform-unknown-node': 'Dit HDN-nummer is geen bekende partij.',
  'hdn-sender-mismatch': 'De afzender van het bericht klopt niet met de koppeling.',
  'hdn-too-large': 'Het HDN-bericht is te groot.',
  'hdn-type-not-allowed': 'Deze koppeling mag dit soort bericht niet versturen.',
  'hdn-unknown-lender': 'Deze maatschappij is niet ingesteld.',
  'hdn-wrong-receiver': 'Het bericht is niet voor dit platform.',
  'lender-unreachable': 'Het document is bewaard, maar de maatschappij was niet bereikbaar; upload het later opnieuw.',
  'line-already-approved': 'Deze regel is al door de maatschappij goedgekeurd.',
  'line-fetched-by-lender': 'De maatschappij haalt dit stuk zelf op: er valt niets te versturen.',
  'no-application': 'Dit product heeft geen HDN-aanvraag.',
  'not-a-lender-message': 'Alleen berichten van de maatschappij worden aan een product gekoppeld.',
  'not-a-mortgage': 'Berichten van de maatschappij horen bij hypotheekproducten.',
  'not-an-application': 'Alleen een ontvangen AX kan worden omgezet.',
  'not-convertible': 'Alleen een ontvangen AX kan worden omgezet.',
  'not-parked': 'Alleen geparkeerde berichten worden met de hand gekoppeld.',
  'outcome-unknown': 'De procesmotor bevestigde niet op tijd; upload hetzelfde bestand opnieuw voor de uitkomst.',
  'unknown-lender': 'Deze maatschappij is onbekend.',
  'too-many-refused-bodies': 'Te veel geweigerde berichten; wacht even.',
  'xml-read-failed': 'Het bericht kon niet worden gelezen; er is niets bewaard.',
  'xml-read-timeout': 'Het lezen van het bericht duurde te lang; er is niets bewaard.',
  'xml-reader-busy': 'De server is druk; probeer het zo opnieuw.',
  'xml-reader-closed': 'De server stopt; probeer het zo opnieuw.',
  // RISK, insurance
  'insurance-policy-not-found': 'Dit verzekeringsproduct heeft geen polis.',
  'no-applicant-to-insure': 'Het dossier heeft geen aanvrager om te verzekeren.',
  'no-published-process': 'Er is geen gepubliceerd verzekeringsproces.',
  'not-an-applicant': 'Deze persoon is geen aanvrager van dit dossier.',
  'not-waiting': 'Alleen wachtende berichten worden met de hand gekoppeld.',
  'policy-in-other-dossier': 'Deze polis hoort al bij een product in een ander dossier.',
  'risk-invalid': 'Het RISK-bericht is ongeldig.',
  'risk-message-not-found': 'Dit RISK-bericht bestaat niet.',
  'risk-not-configured': 'De koppeling met RISK is niet ingesteld.',
  'risk-quote-incomplete': 'Een offerte bij RISK vraagt een ingangsdatum en de geboortedatum van de verzekerde.',
  'risk-rejected': 'RISK heeft de aanvraag geweigerd.',
  'risk-routing-not-configured': 'De verwerking van RISK-berichten is niet ingesteld.',
  'risk-too-large': 'Het RISK-bericht is te groot.',
  'risk-unavailable': 'RISK is niet bereikbaar; probeer het later opnieuw.',
  // Ockto
  'ockto-callback': 'Het bericht van Ockto is onvolledig.',
  'ockto-dossier': 'Dit dossier hoort niet bij deze persoon.',
  'ockto-event-reused': 'Dit bericht van Ockto is al eerder ontvangen.',
  'ockto-not-classified': 'Er is nog geen risicoklasse om van af te wijken.',
  'ockto-retrieval-not-found': 'Deze Ockto-ophaling bestaat niet.',
  'ockto-timing': 'De herinnering moet vóór het verlopen van de ophaling komen.',
  'ockto-unknown-session': 'Deze Ockto-sessie is onbekend.',
  'risk-class-change': 'De risicoklasse kan zo niet worden gewijzigd.',
  // Campaigns
  'campaign-ended': 'De campagne is afgerond of geannuleerd.',
  // Live updates
  'live-closed': 'De live-updates stoppen (de server wordt herstart); de pagina ververst zichzelf.',
  'live-unavailable': 'Live-updates zijn even niet beschikbaar; de pagina ververst zichzelf.',
  // Central organisation, participants and the RC ledger
  'no-such-account': 'De centrale organisatie heeft de rekening voor deze boeking niet.',
  'not-central-organisation': 'Dit kantoor is geen centrale organisatie.',
  'office-is-central': 'Een centrale organisatie kan geen deelnemer zijn.',
  'office-is-participant': 'Een deelnemer kan geen centrale organisatie zijn.',
  'own-participant': 'Een centrale organisatie is niet haar eigen deelnemer.',
  'rc-not-central': 'Dit kantoor is geen centrale organisatie.',
  'rc-not-participant': 'Dit kantoor is geen deelnemer van een centrale organisatie.',
  'rc-overview-hidden': 'Uw centrale organisatie heeft het saldo-overzicht RC voor dit kantoor niet zichtbaar gemaakt.',
  'unbalanced-entry': 'Deze boeking is niet in evenwicht (debet en credit verschillen).',
  'reversal-not-reversed': 'Een tegenboeking wordt niet teruggedraaid; boek de oorspronkelijke boeking opnieuw.',
  'payout-balance-too-low': 'Het saldo RC is lager dan de uitbetaling.',
  'payout-ended': 'Deze uitbetaling is al afgerond.',
  'payout-no-file': 'De uitbetaling heeft nog geen betaalbestand: dat wordt na goedkeuring gemaakt.',
  'payout-not-found': 'Deze uitbetaling bestaat niet.',
  'payout-not-possible': 'Deze uitbetaling kan niet: er is geen positief saldo of geen rekeningnummer.',
  'payout-not-requested': 'Deze uitbetaling is niet meer aangevraagd (al goedgekeurd of geannuleerd).',
  'payout-open': 'Deze deelnemer heeft al een uitbetaling die nog niet is afgerond.',
  'payout-refused': 'De uitbetaling kan nu niet worden gewijzigd.',
};

/**
 * Slugs whose server detail is Dutch and says more than the label (the reason of a refused step or migration, the
 * process rule that failed): the UI shows the detail for these.
 */
export const dutchDetailSlugs: ReadonlySet<string> = new Set([
  'step-not-allowed',
  'invalid-step-input',
  'step-failed',
  'migration-refused',
  'migration-outcome-unknown',
  'process-not-running',
  'bank-item-not-matchable',
]);

/** The Dutch text of a problem+json answer: by its type slug, else by its status. */
export function problemText(status: number, body: unknown, detail: string): string {
  const type = typeof (body as { type?: unknown } | null)?.type === 'string' ? (body as { type: string }).type : '';
  const slug = type.slice(type.lastIndexOf('/') + 1);
  if (dutchDetailSlugs.has(slug) && detail) return detail;
  if (slug === 'validation') {
    // The fields are named by their path (codes, as the forms name them); the sentence is Dutch.
    // Read as plain records: this file has no imports, so the unit test of the server's slugs can load it.
    const errors = (body as { errors?: Record<string, unknown>[] } | null)?.errors ?? [];
    const fields = errors
      .filter((e) => typeof e.path === 'string')
      .map((e) => `${(e.path as string).replace(/^\/body\/?/, '') || 'invoer'}${typeof e.message === 'string' ? ` ${fieldMessage(e.message)}` : ''}`);
    if (fields.length > 0) return `${problemLabel.validation!.replace(/\.$/, '')}: ${[...new Set(fields)].join('; ')}.`;
  }
  const label = problemLabel[slug];
  if (label) return label;
  if (status === 0) return detail;
  if (status >= 500) return problemLabel.internal!;
  if (status === 404) return problemLabel['not-found']!;
  if (status === 403) return problemLabel.forbidden!;
  if (status === 401) return problemLabel.unauthorized!;
  return `Het verzoek is geweigerd (${status}).`;
}

/**
 * The message of one field error (`errors: [{ path, message }]` of a 400) in Dutch, for the forms that show it at
 * the field. The API words them as its schema validator does ("must NOT have fewer than 1 characters"); the
 * patterns below cover the validator's messages our schemas can give and the most common messages of our own
 * rules (dates, IBAN); anything else is shown as the API words it, rather than hiding what is wrong.
 */
const fieldPatterns: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^is required$|^must have required property/, () => 'is verplicht'],
  [/^is not an allowed property$|^must NOT have additional properties$/, () => 'is geen toegestaan veld'],
  [/^must NOT have fewer than 1 characters$/, () => 'vul dit veld in'],
  [/^must NOT have fewer than (\d+) characters$/, (m) => `ten minste ${m[1]} tekens`],
  [/^must NOT have more than (\d+) characters$/, (m) => `ten hoogste ${m[1]} tekens`],
  [/^must NOT have fewer than (\d+) items$/, (m) => `ten minste ${m[1]} ${m[1] === '1' ? 'item' : 'items'}`],
  [/^must NOT have more than (\d+) items$/, (m) => `ten hoogste ${m[1]} items`],
  [/^must match format "date"$/, () => 'moet een datum zijn (JJJJ-MM-DD)'],
  [/^must match format "email"$/, () => 'moet een e-mailadres zijn'],
  // The shared schemas' patterns a person types by hand get a sentence that says what is expected.
  [/^must match pattern "\^\[1-9\]\[0-9\]\{3\} \?\[A-Za-z\]\{2\}\$"$/, () => 'Postcode: vier cijfers en twee letters, zoals 1234 AB'],
  [/^must match format "date-time"$|^must match pattern "\^\(\?:19.*T\[0-9\]/, () => 'moet een datum met tijd zijn (tussen 1900 en 2200)'],
  [/^must match pattern "\^\(\?:19/, () => 'moet een datum zijn tussen 1900 en 2200 (JJJJ-MM-DD)'],
  [/^must match (format|pattern)/, () => 'heeft niet de juiste vorm'],
  [/^must be integer$/, () => 'moet een geheel getal zijn'],
  [/^must be number$|^must be a finite number$/, () => 'moet een getal zijn'],
  [/^must be string$/, () => 'moet tekst zijn'],
  [/^must be boolean$/, () => 'moet ja of nee zijn'],
  [/^must be array$/, () => 'moet een lijst zijn'],
  [/^must be object$/, () => 'moet een object zijn'],
  [/^must be null$/, () => 'moet leeg zijn'],
  [/^must be >= (\S+)$/, (m) => `moet ten minste ${m[1]} zijn`],
  [/^must be <= (\S+)$/, (m) => `moet ten hoogste ${m[1]} zijn`],
  [/^must be > (\S+)$/, (m) => `moet groter dan ${m[1]} zijn`],
  [/^must be < (\S+)$/, (m) => `moet kleiner dan ${m[1]} zijn`],
  [/^must be one of (.+)$/, (m) => `moet een van deze zijn: ${m[1]}`],
  [/^must be equal to (one of the allowed values|constant)$/, () => 'is geen toegestane waarde'],
  [/^must match (a schema in anyOf|exactly one schema in oneOf)$/, () => 'is geen toegestane waarde'],
  [/^must NOT have duplicate items/, () => 'waarden mogen niet dubbel voorkomen'],
  [/^must not contain .*single line/, () => 'moet één regel tekst zijn zonder stuurtekens'],
  [/^must not contain /, () => 'mag geen stuurtekens bevatten'],
  [/^must not be empty$/, () => 'mag niet leeg zijn'],
  [/^is in the future$/, () => 'ligt in de toekomst'],
  [/^gives an age over (\d+) years$/, (m) => `geeft een leeftijd boven ${m[1]} jaar: klopt het jaartal?`],
  [/^is not a valid date and time$/, () => 'is geen geldige datum en tijd'],
  [/^must not be before startDate$/, () => 'mag niet vóór de begindatum liggen'],
  [/^must be after startsAt$/, () => 'moet na het begin liggen'],
  [/^must be on or after (\S+)$/, (m) => `moet op of na ${m[1]} liggen`],
  [/^must be (\S+) or later$/, (m) => `moet ${m[1]} of later zijn`],
  [/^check digits do not match$/, () => 'IBAN: de controlecijfers kloppen niet'],
  [/^must be a 2-letter country code/, () => 'IBAN: een landcode van 2 letters, 2 controlecijfers en daarna alleen letters en cijfers'],
  [/^account part does not match the (\w+) format/, (m) => `IBAN: het rekeningdeel past niet bij het formaat van ${m[1]}`],
];

export function fieldMessage(message: string): string {
  for (const [pattern, dutch] of fieldPatterns) {
    const m = pattern.exec(message);
    if (m) return dutch(m);
  }
  return message;
}
