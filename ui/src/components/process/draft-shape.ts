/**
 * Whether a saved draft has the shape the workbench form can show. The API stores any JSON object as a draft (a
 * designer may save a half-made definition through the API, and the validation problems say what is wrong), but
 * the form walks statuses, steps, actions and SX mappings as lists of objects. A draft that is not shaped like
 * that is shown as its JSON with these reasons instead of crashing the page.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOrAbsent = (v: unknown): boolean => v === undefined || typeof v === 'string';

function listOfObjects(v: unknown, where: string, out: string[]): Json[] {
  if (!Array.isArray(v)) {
    out.push(`${where} is geen lijst`);
    return [];
  }
  const items: Json[] = [];
  v.forEach((item, i) => {
    if (isObject(item)) items.push(item);
    else out.push(`${where} ${i + 1} is geen object`);
  });
  return items;
}

function textFields(item: Json, fields: readonly string[], where: string, out: string[]): void {
  for (const f of fields) if (!textOrAbsent(item[f])) out.push(`${where}: ${f} is geen tekst`);
}

/** The reasons (in Dutch) the form cannot show this definition; empty when it can. */
export function formShapeProblems(definition: unknown): string[] {
  const out: string[] = [];
  if (!isObject(definition)) return ['het concept is geen object'];
  textFields(definition, ['name', 'initialStatus'], 'Proces', out);
  listOfObjects(definition.statuses, 'Statussen', out).forEach((s, i) => textFields(s, ['code', 'label', 'category'], `Status ${i + 1}`, out));
  listOfObjects(definition.steps, 'Stappen', out).forEach((step, j) => {
    const where = `Stap ${j + 1}`;
    textFields(step, ['id', 'label', 'to'], where, out);
    if (!Array.isArray(step.from) || !step.from.every((c) => typeof c === 'string')) out.push(`${where}: from is geen lijst van statuscodes`);
    listOfObjects(step.actions, `${where}: acties`, out).forEach((a, k) => {
      if (typeof a.kind !== 'string') out.push(`${where}, actie ${k + 1}: kind is geen tekst`);
      if (a.when !== undefined && !(isObject(a.when) && textOrAbsent(a.when.input))) out.push(`${where}, actie ${k + 1}: when heeft niet de verwachte vorm`);
    });
    if (step.input !== undefined) {
      listOfObjects(step.input, `${where}: invoer`, out).forEach((f, m) => textFields(f, ['name', 'label'], `${where}, invoerveld ${m + 1}`, out));
    }
  });
  if (definition.lenderStatuses !== undefined) {
    listOfObjects(definition.lenderStatuses, 'SX-koppelingen', out).forEach((m, i) => textFields(m, ['code', 'status'], `SX-koppeling ${i + 1}`, out));
  }
  return out;
}
