// The definition as the diagram and the comparison read it, straight from the editor's text (so it follows every
// keystroke, even while the server reports errors): steps with their agency, duration, predecessors, condition and
// the lines they span in the YAML.
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";

export interface Step {
  id: string;
  name: string;
  agency: string;
  duration: string;
  /** Predecessors; a step without `after` follows the step right above it. */
  after: string[];
  /** The condition in words ("project.group = A"), when the step runs only in some cases. */
  when?: string;
  /** First and last line (1-based) of the step's YAML. */
  fromLine: number;
  toLine: number;
}

export interface Agency { id: string; name: string; oneStop: boolean }
export interface DocumentItem { id: string; name: string; when?: string }
export interface InputItem { id: string; name: string; type: string; values: string[] }

export interface Model {
  code: string;
  version: number | null;
  name: string;
  timeLimit: string;
  field: string;
  legalBasis: string[];
  fee: string;
  effectiveFrom: string;
  effectiveUntil: string;
  agencies: Agency[];
  documents: DocumentItem[];
  inputs: InputItem[];
  steps: Step[];
}

const str = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** A condition object in words: {input: a, equals: b} → "a = b"; all/any/not nest. */
export function conditionText(c: unknown): string {
  if (!c || typeof c !== "object") return str(c);
  const o = c as Record<string, unknown>;
  if ("all" in o && Array.isArray(o.all)) return o.all.map(conditionText).join(" ∧ ");
  if ("any" in o && Array.isArray(o.any)) return "(" + o.any.map(conditionText).join(" ∨ ") + ")";
  if ("not" in o) return "¬(" + conditionText(o.not) + ")";
  const input = str(o.input);
  if ("equals" in o) return `${input} = ${str(o.equals)}`;
  if ("in" in o && Array.isArray(o.in)) return `${input} ∈ {${o.in.map(str).join(", ")}}`;
  if ("greaterThan" in o) return `${input} > ${str(o.greaterThan)}`;
  if ("lessThan" in o) return `${input} < ${str(o.lessThan)}`;
  return JSON.stringify(o);
}

/** Reads what it can: a broken part of the text leaves the rest readable. */
export function readModel(text: string): Model {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, strict: false, uniqueKeys: false, prettyErrors: false });
  const root = doc.contents;
  const js = (doc.toJS({ maxAliasCount: 50 }) ?? {}) as Record<string, unknown>;
  const get = (key: string): YamlNode | null => (isMap(root) ? (root.get(key, true) as YamlNode | null) : null);
  const lineOf = (offset: number) => lines.linePos(offset).line;

  const steps: Step[] = [];
  const stepsNode = get("steps");
  if (isSeq(stepsNode)) {
    stepsNode.items.forEach((item, i) => {
      const s = (isMap(item) ? item.toJS(doc) : {}) as Record<string, unknown>;
      const range = (item as YamlNode).range ?? [0, 0, 0];
      const id = str(s.id) || `#${i + 1}`;
      const previous = steps[i - 1];
      steps.push({
        id,
        name: str(s.name),
        agency: str(s.agency),
        duration: str(s.duration),
        after: Array.isArray(s.after) ? s.after.map(str) : s.after ? [str(s.after)] : previous ? [previous.id] : [],
        when: s.when ? conditionText(s.when) : undefined,
        fromLine: lineOf(range[0]),
        toLine: lineOf(Math.max(range[0], range[1] - 1)),
      });
    });
  }
  const agencies = (Array.isArray(js.agencies) ? js.agencies : []).map((a: Record<string, unknown>) => ({
    id: str(a?.id), name: str(a?.name), oneStop: a?.oneStop === true,
  }));
  const documents = (Array.isArray(js.documents) ? js.documents : []).map((d: Record<string, unknown>) => ({
    id: str(d?.id), name: str(d?.name), when: d?.when ? conditionText(d.when) : undefined,
  }));
  const inputs = (Array.isArray(js.inputs) ? js.inputs : []).map((d: Record<string, unknown>) => ({
    id: str(d?.id), name: str(d?.name), type: str(d?.type), values: Array.isArray(d?.values) ? d.values.map(str) : [],
  }));
  const effective = (js.effective ?? {}) as Record<string, unknown>;
  const fee = js.fee as Record<string, unknown> | undefined;
  return {
    code: str(js.code),
    version: typeof js.version === "number" ? js.version : null,
    name: str(js.name),
    timeLimit: str(js.timeLimit),
    field: str(js.field),
    legalBasis: Array.isArray(js.legalBasis) ? js.legalBasis.map(str) : [],
    fee: fee ? (fee.note ? str(fee.note) : `${str(fee.amount)} ${str(fee.currency)}`) : "",
    effectiveFrom: effective.from instanceof Date ? effective.from.toISOString().slice(0, 10) : str(effective.from),
    effectiveUntil: effective.until instanceof Date ? effective.until.toISOString().slice(0, 10) : str(effective.until),
    agencies,
    documents,
    inputs,
    steps,
  };
}

/** A duration as numbers: working days, working hours, calendar days (Vietnamese words accepted too). */
export interface Amount { workingDays: number; workingHours: number; days: number }

export function amount(text: string): Amount | null {
  const m = /^\s*(\d+(?:[.,]\d+)?)\s+(.+?)\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1].replace(",", "."));
  const unit = m[2].toLowerCase();
  if (/^(working days?|ngày làm việc)$/.test(unit)) return { workingDays: n, workingHours: 0, days: 0 };
  if (/^(working hours?|giờ làm việc)$/.test(unit)) return { workingDays: 0, workingHours: n, days: 0 };
  if (/^(days?|ngày)$/.test(unit)) return { workingDays: 0, workingHours: 0, days: n };
  return null;
}

/** A working day is 8 working hours (two 4-hour sessions). */
export const HOURS_PER_DAY = 8;

/** Working time of an amount in working days (calendar days are not working time: see upperBoundDays). */
export const inWorkingDays = (a: Amount) => a.workingDays + a.workingHours / HOURS_PER_DAY;

/**
 * The calendar days an amount can take at most: W working days span at most W + 2*ceil(W/5) calendar days
 * (a weekend per started week), plus calendar days as they are. Holidays can add more; the server's preview
 * (the real calendar) is authoritative for dates.
 */
export const upperBoundDays = (a: Amount) => {
  const w = Math.ceil(inWorkingDays(a));
  return w + 2 * Math.ceil(w / 5) + a.days;
};

export interface CriticalPath { steps: string[]; total: Amount; unknown: string[] }

/** The longest chain of steps by working time (then calendar days): the path the time limit has to cover. */
export function criticalPath(steps: Step[]): CriticalPath {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const best = new Map<string, { total: Amount; path: string[] }>();
  const unknown: string[] = [];
  const weight = (a: Amount) => inWorkingDays(a) + a.days * 5 / 7;
  const visit = (id: string, seen: Set<string>): { total: Amount; path: string[] } => {
    const known = best.get(id);
    if (known) return known;
    const step = byId.get(id)!;
    const own = amount(step.duration);
    if (!own && !unknown.includes(id)) unknown.push(id);
    let before: { total: Amount; path: string[] } = { total: { workingDays: 0, workingHours: 0, days: 0 }, path: [] };
    for (const p of step.after) {
      if (!byId.has(p) || seen.has(p)) continue; // an unknown or cyclic reference: the validator reports it
      const candidate = visit(p, new Set([...seen, id]));
      if (weight(candidate.total) > weight(before.total)) before = candidate;
    }
    const o = own ?? { workingDays: 0, workingHours: 0, days: 0 };
    const result = {
      total: { workingDays: before.total.workingDays + o.workingDays, workingHours: before.total.workingHours + o.workingHours, days: before.total.days + o.days },
      path: [...before.path, id],
    };
    best.set(id, result);
    return result;
  };
  let longest: { total: Amount; path: string[] } = { total: { workingDays: 0, workingHours: 0, days: 0 }, path: [] };
  for (const s of steps) {
    const r = visit(s.id, new Set());
    if (weight(r.total) > weight(longest.total)) longest = r;
  }
  return { steps: longest.path, total: longest.total, unknown };
}

/** Whether the chain fits the limit: in working time when the limit is in working time, else in calendar days (upper bound). */
export function fits(total: Amount, limit: Amount): boolean {
  if (limit.days === 0) return inWorkingDays(total) + total.days <= inWorkingDays(limit) + 1e-9 && total.days === 0;
  return upperBoundDays(total) <= limit.days + upperBoundDays({ ...limit, days: 0 });
}
