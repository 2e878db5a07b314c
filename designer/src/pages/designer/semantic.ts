// What changed between two versions of a procedure, in the terms an administrator checks before publishing:
// time limit, effective dates, documents, steps (added, removed, duration, agency, order, condition), fee, legal basis.
import type { Model } from "./model";

export interface Change {
  /** Stable kind, for tests and styling: limit, name, from, until, fee, document-added, ... */
  kind: string;
  /** The i18n key and its parameters. */
  key: string;
  params: Record<string, string>;
}

export interface SemanticDiff {
  changes: Change[];
  /** Steps present on both sides whose duration, agency, order or condition changed. */
  changedSteps: Set<string>;
  addedSteps: Set<string>;
  removedSteps: Set<string>;
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function semanticDiff(before: Model, after: Model): SemanticDiff {
  const changes: Change[] = [];
  const add = (kind: string, params: Record<string, string>) => changes.push({ kind, key: "diff." + kind, params });

  if (before.timeLimit !== after.timeLimit) add("limit", { from: before.timeLimit, to: after.timeLimit });
  if (before.name !== after.name) add("name", { from: before.name, to: after.name });
  if (before.effectiveFrom !== after.effectiveFrom) add("from", { from: before.effectiveFrom, to: after.effectiveFrom });
  if (before.effectiveUntil !== after.effectiveUntil) add("until", { from: before.effectiveUntil || "—", to: after.effectiveUntil || "—" });
  if (before.fee !== after.fee) add("fee", { from: before.fee || "—", to: after.fee || "—" });

  const beforeDocs = new Map(before.documents.map((d) => [d.id, d]));
  const afterDocs = new Map(after.documents.map((d) => [d.id, d]));
  for (const d of after.documents) if (!beforeDocs.has(d.id)) add("document-added", { id: d.id, name: d.name });
  for (const d of before.documents) if (!afterDocs.has(d.id)) add("document-removed", { id: d.id, name: d.name });
  for (const d of after.documents) {
    const old = beforeDocs.get(d.id);
    if (old && old.name !== d.name) add("document-renamed", { id: d.id });
    if (old && (old.when ?? "") !== (d.when ?? "")) add("document-condition", { id: d.id, from: old.when ?? "—", to: d.when ?? "—" });
  }

  const beforeSteps = new Map(before.steps.map((s) => [s.id, s]));
  const afterSteps = new Map(after.steps.map((s) => [s.id, s]));
  const changedSteps = new Set<string>();
  const addedSteps = new Set<string>();
  const removedSteps = new Set<string>();
  for (const s of after.steps) {
    const old = beforeSteps.get(s.id);
    if (!old) {
      addedSteps.add(s.id);
      add("step-added", { id: s.id, duration: s.duration });
      continue;
    }
    if (old.duration !== s.duration) {
      changedSteps.add(s.id);
      add("step-duration", { id: s.id, from: old.duration, to: s.duration });
    }
    if (old.agency !== s.agency) {
      changedSteps.add(s.id);
      add("step-agency", { id: s.id, from: old.agency, to: s.agency });
    }
    if (!same(old.after, s.after)) {
      changedSteps.add(s.id);
      add("step-after", { id: s.id, from: old.after.join(", ") || "—", to: s.after.join(", ") || "—" });
    }
    if ((old.when ?? "") !== (s.when ?? "")) {
      changedSteps.add(s.id);
      add("step-condition", { id: s.id, from: old.when ?? "—", to: s.when ?? "—" });
    }
    if (old.name !== s.name) {
      changedSteps.add(s.id);
      add("step-renamed", { id: s.id });
    }
  }
  for (const s of before.steps) {
    if (!afterSteps.has(s.id)) {
      removedSteps.add(s.id);
      add("step-removed", { id: s.id });
    }
  }
  const beforeBasis = new Set(before.legalBasis);
  const afterBasis = new Set(after.legalBasis);
  for (const b of after.legalBasis) if (!beforeBasis.has(b)) add("basis-added", { text: b });
  for (const b of before.legalBasis) if (!afterBasis.has(b)) add("basis-removed", { text: b });
  return { changes, changedSteps, addedSteps, removedSteps };
}
