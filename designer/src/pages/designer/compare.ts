// Compare two versions: side-by-side text diff (@codemirror/merge), the semantic diff (what an administrator
// checks), and the later version's diagram with changed and added steps highlighted.
import { MergeView } from "@codemirror/merge";
import { EditorState } from "@codemirror/state";
import { EditorView, lineNumbers } from "@codemirror/view";
import { yaml } from "@codemirror/lang-yaml";
import { syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { drawDiagram, type DiagramLabels } from "./diagram";
import { readModel } from "./model";
import { semanticDiff, type SemanticDiff } from "./semantic";

let merge: MergeView | null = null;

const readOnly = [
  lineNumbers(),
  yaml(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  EditorState.readOnly.of(true),
  EditorView.editable.of(false),
];

/** The semantic diff as list items (each `li` has data-kind for tests and styling). */
export function diffList(diff: SemanticDiff, say: (key: string, params: Record<string, string>) => string, none: string): HTMLLIElement[] {
  if (diff.changes.length === 0) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = none;
    return [li];
  }
  return diff.changes.map((c) => {
    const li = document.createElement("li");
    li.dataset.kind = c.kind;
    li.textContent = say(c.key, c.params);
    return li;
  });
}

export function diffOf(before: string, after: string): SemanticDiff {
  return semanticDiff(readModel(before), readModel(after));
}

export async function showComparison(
  parts: { merge: HTMLElement; list: HTMLElement; diagram: HTMLElement },
  before: string, after: string,
  say: (key: string, params: Record<string, string>) => string, none: string,
  labels: (agencyNames: Map<string, string>) => DiagramLabels,
): Promise<SemanticDiff> {
  merge?.destroy();
  merge = new MergeView({
    a: { doc: before, extensions: readOnly },
    b: { doc: after, extensions: readOnly },
    parent: parts.merge,
    highlightChanges: true,
    gutter: true,
  });
  merge.a.contentDOM.setAttribute("aria-label", say("compare.before", {}));
  merge.b.contentDOM.setAttribute("aria-label", say("compare.after", {}));
  merge.a.contentDOM.setAttribute("tabindex", "0");
  merge.b.contentDOM.setAttribute("tabindex", "0");
  const model = readModel(after);
  const diff = semanticDiff(readModel(before), model);
  parts.list.replaceChildren(...diffList(diff, say, none));
  await drawDiagram(parts.diagram, model, { problems: new Map(), changed: diff.changedSteps, added: diff.addedSteps },
    labels(new Map(model.agencies.map((a) => [a.id, a.name]))), () => undefined);
  return diff;
}

export function closeComparison() {
  merge?.destroy();
  merge = null;
}
