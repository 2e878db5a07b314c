// The procedure designer: catalogue, YAML editor with the server's own validation, preview from the real
// decider, drafts, safe publishing (what is published is the text on screen) and new versions.
import "../../lib/base.css";
import "./designer.css";
import { api, asYaml, problemText } from "../../lib/api";
import { apply, bindSwitch, day, duration, extend, onLangChange, t } from "../../lib/i18n";
import { mountSession, type Session } from "../../lib/session";
import type { EditorHandle, Problem } from "./editor";
import { vi, en } from "./messages";
import type { Model } from "./model";

extend(vi, en);
apply(document);
bindSwitch(document.getElementById("lang") as HTMLButtonElement);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $("status");
const problemsList = $("problems");
const preview = $("preview");

interface Summary { code: string; version: number; name: string; effectiveFrom?: string; effectiveUntil?: string | null; timeLimit?: string }
interface PreviewStep { id: string; name: string; agency: string; duration: string; after: string[]; conditional: boolean; firstDueAt?: string | null }
interface PreviewCase { id: string; timeLimit: string; appointmentAt?: string | null; basis?: string | null }
interface Preview { name: string; timeLimit: string; documents: number; steps: PreviewStep[]; receivedAt?: string | null; appointmentAt?: string | null; problem?: string | null; cases?: PreviewCase[] }
interface ValidationResult { valid: boolean; errors: number; warnings: number; problems: Problem[]; preview?: Preview | null }

let session: Session | null = null;
let editor: EditorHandle | null = null;
/** The published version open in the editor (the base of a new version), or null for a draft or new text. */
let opened: { code: string; version: number } | null = null;
/** What the editor held when it was last opened or saved: the text differs from it = unsaved changes. */
let savedText = "";
let lastResult: ValidationResult | null = null;

const say = (text: string) => { status.textContent = text; };
/** The validation's verdict, apart from the status of actions (a late validation never hides an action's outcome). */
const verdict = (text: string) => { $("validity").textContent = text; };
const isAdmin = () => session?.role === "admin";
const dirty = () => editor !== null && editor.text() !== savedText;

function renderDirty() {
  $("dirty").hidden = !dirty();
}

window.addEventListener("beforeunload", (event) => {
  if (dirty()) {
    event.preventDefault();
    event.returnValue = "";
  }
});

/** A yes/no question in the page's own dialog; resolves true on yes. */
function ask(title: string, body: Node | string, yes: string, no: string): Promise<boolean> {
  const dialog = $("confirm") as HTMLDialogElement;
  $("confirm-title").textContent = title;
  const holder = $("confirm-body");
  holder.replaceChildren(typeof body === "string" ? Object.assign(document.createElement("p"), { textContent: body }) : body);
  $("confirm-yes").textContent = yes;
  $("confirm-no").textContent = no;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true }));
}

/** Before replacing the editor's text: unsaved changes are kept unless the user chooses to drop them. */
async function mayLeave(): Promise<boolean> {
  if (!dirty()) return true;
  return ask(t("designer.leave.title"), t("designer.leave.body"), t("designer.leave.yes"), t("designer.leave.no"));
}

function button(label: string, code: string, onClick: () => void): HTMLLIElement {
  const li = document.createElement("li");
  const b = document.createElement("button");
  b.type = "button";
  b.className = "item";
  const c = document.createElement("span");
  c.className = "code";
  c.textContent = code;
  b.append(c, document.createTextNode(label));
  b.addEventListener("click", onClick);
  li.append(b);
  return li;
}

function note(text: string): HTMLLIElement {
  const li = document.createElement("li");
  li.className = "muted";
  li.textContent = text;
  return li;
}

let catalogue: Summary[] = [];

async function loadCatalogue() {
  const { data, error, response } = await api.GET("/api/definitions");
  if (error !== undefined || !response.ok) {
    $("procedures").replaceChildren(note(problemText(response.status, error)));
    return;
  }
  catalogue = data as unknown as Summary[];
  renderCatalogue();
}

function renderCatalogue() {
  const filter = ($("filter") as HTMLInputElement).value.trim().toLowerCase();
  const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").toLowerCase();
  const wanted = fold(filter);
  // Replaced in one go: a list being reloaded never stands empty under the user's click.
  $("procedures").replaceChildren(...catalogue
    .filter((d) => !wanted || d.code.includes(filter) || fold(d.name).includes(wanted))
    .map((d) => button(`v${d.version} · ${d.name}`, d.code, () => void openPublished(d.code, d.version))));
}
$("filter").addEventListener("input", renderCatalogue);

async function loadDrafts() {
  const list = $("drafts");
  if (!isAdmin()) {
    list.replaceChildren(note(t("designer.drafts.adminOnly")));
    return;
  }
  const { data, response } = await api.GET("/api/definitions/drafts");
  if (!response.ok) {
    list.replaceChildren(note(problemText(response.status, undefined)));
    return;
  }
  const drafts = data as unknown as Summary[];
  list.replaceChildren(...(drafts.length === 0
    ? [note(t("designer.drafts.none"))]
    : drafts.map((d) => button(`v${d.version} · ${d.name}`, d.code, () => void openDraft(d.code, d.version)))));
}

/** The pending validation after an edit (debounced). */
let timer = 0;

/** The editor being loaded: one load, however many callers ask at once (the page after sign-in, an open). */
let editorLoad: Promise<EditorHandle> | null = null;

function ensureEditor(): Promise<EditorHandle> {
  // Two callers awaiting the import each used to create an editor: the user typed in one, the page read the other.
  editorLoad ??= loadEditor();
  return editorLoad;
}

async function loadEditor(): Promise<EditorHandle> {
  const { createEditor } = await import("./editor");
  editor = createEditor($("editor"), {
    label: t("designer.editor"),
    onChange: () => {
      renderDirty();
      clearTimeout(timer);
      timer = window.setTimeout(() => void validate(), 400);
    },
    onCursor: (line) => {
      const step = model?.steps.find((st) => line >= st.fromLine && line <= st.toLine);
      diagramView?.select(svg, step?.id ?? null);
    },
  });
  return editor;
}

async function show(text: string, base: { code: string; version: number } | null, readOnly = false) {
  const e = await ensureEditor();
  e.setReadOnly(false);
  e.setText(text);
  clearTimeout(timer); // validated right below, not again after the debounce
  e.setReadOnly(readOnly);
  savedText = text;
  opened = base;
  ($("new-version") as HTMLButtonElement).disabled = base === null;
  renderDirty();
  return validate();
}

async function openPublished(code: string, version: number) {
  if (!(await mayLeave())) return;
  const { data, response } = await api.GET("/api/definitions/{code}/versions/{version}", {
    params: { path: { code, version } }, parseAs: "text",
  });
  if (!response.ok) {
    say(t("designer.openFailed", { code }) + " " + problemText(response.status, undefined));
    return;
  }
  $("opened").textContent = `${code} v${version} · ${t("designer.badge.readOnly")}`;
  await show(data as unknown as string, { code, version }, true);
  void loadHistory(code);
}

async function openDraft(code: string, version: number) {
  if (!(await mayLeave())) return;
  const { data, response } = await api.GET("/api/definitions/drafts/{code}/{version}", {
    params: { path: { code, version } }, parseAs: "text",
  });
  if (!response.ok) {
    say(t("designer.draftOpenFailed", { code, version }) + " " + problemText(response.status, undefined));
    return;
  }
  $("opened").textContent = `${code} v${version} · ${t("designer.badge.draft")}`;
  await show(data as unknown as string, null);
  say(t("designer.draftOpened", { code, version }));
  void loadHistory(code);
}

function describe(p: Problem): string {
  return `${p.title ? p.title + " — " : ""}${p.message}`;
}

function showProblems(problems: Problem[]) {
  if (problems.length === 0) {
    problemsList.replaceChildren(Object.assign(document.createElement("li"), { className: "ok", textContent: t("designer.valid") }));
  } else {
    problemsList.replaceChildren(...problems.map((p) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.className = `problem ${p.severity}`;
      b.textContent = `${p.line}:${p.column} ${p.severity === "error" ? t("designer.error") : t("designer.warning")} ${p.code}: ${describe(p)}`;
      b.addEventListener("click", () => editor?.goTo(p.line, p.column));
      li.append(b);
      return li;
    }));
  }
  editor?.showProblems(problems, describe);
}

function showPreview(p: Preview | null | undefined) {
  if (!p) {
    preview.innerHTML = `<p class="muted"></p>`;
    preview.firstElementChild!.textContent = t("designer.preview.fix");
    $("steps-table").replaceChildren();
    return;
  }
  const el = (tag: string, text?: string, cls?: string) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const nodes: Node[] = [];
  const name = el("p");
  name.append(el("strong", p.name));
  nodes.push(name, el("p", t("designer.preview.limit", { limit: duration(p.timeLimit), documents: p.documents })));
  if (p.appointmentAt) {
    const a = el("p", t("designer.preview.receivedAt", { at: p.receivedAt ?? "" }) + " ", "appointment");
    const strong = el("strong", p.appointmentAt);
    strong.id = "appointment";
    a.append(strong);
    nodes.push(a);
  }
  if (p.cases && p.cases.length) {
    // Limits that depend on the dossier's inputs (timeLimitCases): what a dossier of each case is promised.
    const list = el("ul");
    list.id = "time-limit-cases";
    for (const c of p.cases) {
      const item = el("li", t("designer.preview.case", { id: c.id, limit: duration(c.timeLimit) }));
      if (c.appointmentAt) {
        item.append(" " + t("designer.preview.caseAppointment") + " ");
        item.append(el("strong", c.appointmentAt));
      }
      if (c.basis) item.title = c.basis;
      list.append(item);
    }
    nodes.push(list);
  }
  if (p.problem) nodes.push(el("p", p.problem, "muted"));
  const table = el("table");
  const head = el("tr");
  for (const h of ["step", "name", "agency", "duration", "after"]) head.append(el("th", t("designer.col." + h)));
  const thead = el("thead");
  thead.append(head);
  const body = el("tbody");
  for (const s of p.steps) {
    const row = el("tr");
    const id = el("td", s.id);
    if (s.conditional) id.append(" ", el("em", t("designer.conditional")));
    row.append(id, el("td", s.name), el("td", s.agency), el("td", duration(s.duration)), el("td", s.after.join(", ")));
    body.append(row);
  }
  table.append(thead, body);
  preview.replaceChildren(...nodes);
  $("steps-table").replaceChildren(table);
}

let validation = 0;
async function validate(): Promise<ValidationResult | null> {
  if (!editor) return null;
  const mine = ++validation;
  const { data, error, response } = await api.POST("/api/definitions/validate", asYaml(editor.text()));
  if (mine !== validation) return null; // a newer validation is on its way
  if (!response.ok) {
    lastResult = null;
    problemsList.replaceChildren();
    showPreview(null);
    verdict("");
    say(problemText(response.status, error));
    void redraw([]);
    return null;
  }
  const result = data as unknown as ValidationResult;
  lastResult = result;
  showProblems(result.problems);
  showPreview(result.preview);
  void redraw(result.problems);
  verdict(result.valid ? t("designer.validShort") : t("designer.counts", { errors: result.errors, warnings: result.warnings }));
  return result;
}
$("validate").addEventListener("click", () => void validate());

interface SaveAnswer { draft?: Summary; problems?: Problem[]; reason?: string; error?: string; title?: string }

async function save(): Promise<Summary | null> {
  if (!editor) return null;
  const text = editor.text();
  const { data, error, response } = await api.POST("/api/definitions", asYaml(text));
  const answer = (data ?? error ?? {}) as unknown as SaveAnswer;
  if (response.ok && answer.draft) {
    savedText = text;
    renderDirty();
    void loadDrafts();
    return answer.draft;
  }
  say(problemText(response.status, answer));
  if (answer.problems) showProblems(answer.problems);
  return null;
}

$("save").addEventListener("click", async () => {
  clearTimeout(timer);
  const draft = await save();
  if (draft) say(t("designer.saved", { code: draft.code, version: draft.version }));
});

interface PublishAnswer extends Summary { closes?: Summary | null; reason?: string; error?: string; problems?: Problem[] }

// What is published is exactly the text on screen: it is saved as the draft first, then confirmed, then published.
$("publish").addEventListener("click", async () => {
  if (!editor) return;
  clearTimeout(timer);
  const result = await validate();
  if (!result) return;
  if (!result.valid) {
    say(t("designer.publish.hasErrors"));
    return;
  }
  const draft = await save();
  if (!draft) return;
  const body = document.createElement("div");
  body.append(Object.assign(document.createElement("p"), {
    textContent: t("designer.publish.confirmBody", { code: draft.code, version: draft.version, from: day(draft.effectiveFrom) }),
  }));
  await loadHistory(draft.code);
  const inForce = history?.versions.find((v) => v.status === "in-force");
  if (inForce) {
    const before = await textOf(`v:${inForce.version}`);
    if (before !== null) {
      const { diffOf, diffList } = await import("./compare");
      body.append(Object.assign(document.createElement("h3"), { textContent: t("designer.publish.against", { version: inForce.version }) }));
      const list = document.createElement("ul");
      list.id = "publish-diff";
      list.className = "semantic";
      list.replaceChildren(...diffList(diffOf(before, editor.text()), (k, p) => t(k, p), t("diff.none")));
      body.append(list);
    }
  }
  const parallel = (history?.drafts ?? []).filter((d) => d.version !== draft.version);
  if (parallel.length) {
    body.append(Object.assign(document.createElement("p"), {
      className: "warning", id: "parallel-drafts",
      textContent: t("designer.publish.parallel", { versions: parallel.map((d) => d.version).join(", ") }),
    }));
  }
  if (!(await ask(t("designer.publish.confirmTitle"), body, t("designer.publish.yes"), t("designer.publish.no")))) {
    say(t("designer.saved", { code: draft.code, version: draft.version }));
    return;
  }
  const { data, error, response } = await api.POST("/api/definitions/{code}/versions/{version}/publish", {
    params: { path: { code: draft.code, version: draft.version } },
  });
  const answer = (data ?? error) as unknown as PublishAnswer;
  if (!response.ok) {
    say(problemText(response.status, answer));
    if (answer?.problems) showProblems(answer.problems);
    return;
  }
  const closes = answer.closes ? " " + t("designer.published.closes", { version: answer.closes.version, until: day(answer.closes.effectiveUntil) }) : "";
  say(t("designer.published", { code: answer.code, version: answer.version, from: day(answer.effectiveFrom) }) + closes);
  opened = { code: answer.code, version: answer.version };
  $("opened").textContent = `${answer.code} v${answer.version} · ${t("designer.badge.readOnly")}`;
  editor.setReadOnly(true);
  ($("new-version") as HTMLButtonElement).disabled = false;
  void loadHistory(answer.code);
  void loadCatalogue();
  void loadDrafts();
});

$("new-version").addEventListener("click", async () => {
  if (!opened || !(await mayLeave())) return;
  const from = ($("from") as HTMLInputElement).value;
  const { data, error, response } = await api.GET("/api/definitions/{code}/versions/{version}/next", {
    params: { path: { code: opened.code, version: opened.version }, query: from ? { from } : {} },
    parseAs: "text",
  });
  if (!response.ok) {
    let body: unknown = error;
    try { body = JSON.parse(String(error)); } catch { /* not JSON */ }
    say(problemText(response.status, body));
    return;
  }
  const text = data as unknown as string;
  const code = opened.code;
  await show(text, null);
  // A new version is unsaved until it is saved as a draft.
  savedText = "";
  renderDirty();
  const version = /^version:\s*(\d+)/m.exec(text)?.[1] ?? "";
  const start = /^\s*from:\s*(\d{4}-\d{2}-\d{2})/m.exec(text)?.[1];
  $("opened").textContent = `${code} v${version} · ${t("designer.badge.draft")}`;
  say(t("designer.newVersionReady", { version, from: day(start) }));
  void loadHistory(code);
});

// ---- The diagram, live as the text changes ----

let model: Model | null = null;
let svg: SVGSVGElement | null = null;
let diagramView: typeof import("./diagram") | null = null;
let drawing = 0;

/** Step whose YAML holds the line: problems are marked on the box of the step they concern. */
function stepAt(m: Model, line: number) {
  return m.steps.find((st) => line >= st.fromLine && line <= st.toLine);
}

async function redraw(problems: Problem[]) {
  if (!editor) return;
  const mine = ++drawing;
  diagramView ??= await import("./diagram");
  const { readModel } = await import("./model");
  const m = readModel(editor.text());
  const marks = new Map<string, { errors: number; warnings: number; text: string[] }>();
  for (const p of problems) {
    const st = stepAt(m, p.line);
    if (!st) continue;
    const mark = marks.get(st.id) ?? { errors: 0, warnings: 0, text: [] };
    if (p.severity === "error") mark.errors++;
    else mark.warnings++;
    mark.text.push(`${p.line}:${p.column} ${p.code}: ${describe(p)}`);
    marks.set(st.id, mark);
  }
  const agencyNames = new Map(m.agencies.map((a) => [a.id, a.name]));
  const drawn = await diagramView.drawDiagram($("diagram"), m, { problems: marks }, diagramLabels(agencyNames), (id) => {
    const st = m.steps.find((x) => x.id === id);
    if (st) editor?.selectLines(st.fromLine, st.toLine);
  });
  if (mine !== drawing) return;
  model = m;
  svg = drawn;
  if (!$("panel-try").hidden) renderTryForm();
  const line = editor.cursorLine();
  diagramView.select(svg, stepAt(m, line)?.id ?? null);
}

function diagramLabels(agencyNames: Map<string, string>) {
  return {
    lane: (id: string) => agencyNames.get(id) || id,
    duration: (text: string) => duration(text),
    critical: (path: string, total: string, limit: string, ok: boolean) =>
      t(ok ? "designer.critical.ok" : "designer.critical.over", { path, total, limit }),
    problems: (n: number) => t("designer.diagram.problems", { n }),
  };
}

const fileName = (ext: string) => `${model?.code || "thu-tuc"}${model?.version ? "-v" + model.version : ""}.${ext}`;

$("export-svg").addEventListener("click", () => {
  if (!svg || !diagramView) return;
  diagramView.download(fileName("svg"), new Blob([diagramView.svgText(svg)], { type: "image/svg+xml" }));
});
$("export-png").addEventListener("click", async () => {
  if (!svg || !diagramView) return;
  diagramView.download(fileName("png"), await diagramView.pngBlob(svg));
});

// ---- Versions: every version with its status, drafts, local overlays; any two compared ----

interface VersionStatus { version: number; name: string; effectiveFrom: string; effectiveUntil?: string | null; timeLimit: string; status: string }
interface History {
  code: string; today: string; versions: VersionStatus[]; drafts: { version: number; name: string }[];
  overlays: { jurisdiction: string; effectiveFrom: string; effectiveUntil?: string | null; timeLimit?: string | null; steps: Record<string, string>; status: string }[];
}
let history: History | null = null;

async function loadHistory(code: string) {
  const { data, response } = await api.GET("/api/definitions/{code}/history", { params: { path: { code } } });
  history = response.ok ? (data as unknown as History) : null;
  renderHistory();
  if (history && !($("try-at") as HTMLInputElement).value) ($("try-at") as HTMLInputElement).value = `${history.today}T09:00`;
}

function badge(status: string): HTMLElement {
  const b = document.createElement("span");
  b.className = `badge ${status}`;
  b.textContent = t("status." + status);
  return b;
}

function small(label: string, onClick: () => void, id?: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "small";
  b.textContent = label;
  if (id) b.id = id;
  b.addEventListener("click", onClick);
  return b;
}

function renderHistory() {
  const host = $("versions");
  if (!history) {
    host.replaceChildren(note(t("versions.none")));
    return;
  }
  const h = history;
  const table = document.createElement("table");
  table.id = "version-table";
  const head = document.createElement("tr");
  for (const c of ["version", "from", "until", "status", "actions"]) head.append(Object.assign(document.createElement("th"), { textContent: t("versions.col." + c) }));
  table.append(head);
  const row = (cells: (string | Node)[], key: string) => {
    const tr = document.createElement("tr");
    tr.dataset.key = key;
    for (const c of cells) {
      const td = document.createElement("td");
      td.append(c);
      tr.append(td);
    }
    table.append(tr);
  };
  for (const v of [...h.versions].reverse()) {
    const actions = document.createElement("span");
    actions.className = "row-actions";
    actions.append(
      small(t("versions.open"), () => void openPublished(h.code, v.version)),
      small(t("versions.compare"), () => void openCompare(`v:${v.version}`, "editor")),
    );
    row([`v${v.version}`, day(v.effectiveFrom), day(v.effectiveUntil) || "—", badge(v.status), actions], `v:${v.version}`);
  }
  for (const d of h.drafts) {
    const actions = document.createElement("span");
    actions.className = "row-actions";
    if (isAdmin()) actions.append(small(t("versions.open"), () => void openDraft(h.code, d.version)));
    actions.append(small(t("versions.compare"), () => void openCompare(`d:${d.version}`, "editor")));
    row([`v${d.version}`, "", "", badge("draft"), actions], `d:${d.version}`);
  }
  const nodes: Node[] = [table];
  if (h.overlays.length) {
    nodes.push(Object.assign(document.createElement("h3"), { textContent: t("versions.overlays") }));
    const list = document.createElement("ul");
    list.id = "overlays";
    for (const o of h.overlays) {
      const li = document.createElement("li");
      const steps = Object.entries(o.steps).map(([id, d]) => `${id}: ${duration(d)}`).join("; ");
      li.append(badge(o.status), " ", t("versions.overlay", {
        jurisdiction: o.jurisdiction, limit: duration(o.timeLimit ?? "") || "—", from: day(o.effectiveFrom), steps: steps || "—",
      }));
      list.append(li);
    }
    nodes.push(list);
  }
  host.replaceChildren(...nodes);
}

/** The text of a version ("v:N"), a draft ("d:N") or the editor ("editor"). */
async function textOf(key: string): Promise<string | null> {
  if (key === "editor") return editor?.text() ?? "";
  const code = history?.code;
  if (!code) return null;
  const version = Number(key.slice(2));
  const { data, response } = key.startsWith("v:")
    ? await api.GET("/api/definitions/{code}/versions/{version}", { params: { path: { code, version } }, parseAs: "text" })
    : await api.GET("/api/definitions/drafts/{code}/{version}", { params: { path: { code, version } }, parseAs: "text" });
  return response.ok ? (data as unknown as string) : null;
}

async function openCompare(left: string, right: string) {
  if (!history) return;
  const options = [
    ...history.versions.map((v) => [`v:${v.version}`, `v${v.version} · ${t("status." + v.status)}`]),
    ...history.drafts.map((d) => [`d:${d.version}`, `v${d.version} · ${t("status.draft")}`]),
    ["editor", t("compare.editor")],
  ];
  for (const [select, value] of [[$("compare-left") as HTMLSelectElement, left], [$("compare-right") as HTMLSelectElement, right]] as const) {
    select.replaceChildren(...options.map(([k, label]) => Object.assign(document.createElement("option"), { value: k, textContent: label })));
    select.value = value;
  }
  const dialog = $("compare") as HTMLDialogElement;
  if (!dialog.open) dialog.showModal();
  await renderCompare();
}

async function renderCompare() {
  const [before, after] = await Promise.all([textOf(($("compare-left") as HTMLSelectElement).value), textOf(($("compare-right") as HTMLSelectElement).value)]);
  if (before === null || after === null) return;
  const { showComparison } = await import("./compare");
  $("merge").replaceChildren();
  await showComparison({ merge: $("merge"), list: $("semantic-diff"), diagram: $("compare-diagram") }, before, after,
    (k, p) => t(k, p), t("diff.none"), diagramLabels);
  $("compare").dataset.ready = ($("compare-left") as HTMLSelectElement).value + ">" + ($("compare-right") as HTMLSelectElement).value;
}
$("compare-left").addEventListener("change", () => void renderCompare());
$("compare-right").addEventListener("change", () => void renderCompare());
$("compare-close").addEventListener("click", async () => {
  ($("compare") as HTMLDialogElement).close();
  (await import("./compare")).closeComparison();
});
$("compare-in-force").addEventListener("click", () => {
  const inForce = history?.versions.find((v) => v.status === "in-force") ?? history?.versions[history.versions.length - 1];
  if (inForce) void openCompare(`v:${inForce.version}`, "editor");
});

// ---- Try it: the real decider on a dossier received when the administrator says ----

function renderTryForm() {
  const m = model;
  const inputs = $("try-inputs");
  const documents = $("try-documents");
  const keepInputs = new Map([...inputs.querySelectorAll<HTMLInputElement | HTMLSelectElement>("[data-input]")].map((e) => [e.dataset.input!, e.value]));
  inputs.replaceChildren(inputs.querySelector("legend")!);
  documents.replaceChildren(documents.querySelector("legend")!);
  if (!m) return;
  for (const input of m.inputs) {
    const label = document.createElement("label");
    label.textContent = input.name || input.id;
    let field: HTMLInputElement | HTMLSelectElement;
    if (input.type === "enum" || input.type === "bool") {
      field = document.createElement("select");
      const values = input.type === "bool" ? ["", "true", "false"] : ["", ...input.values];
      field.replaceChildren(...values.map((v) => Object.assign(document.createElement("option"), {
        value: v, textContent: v === "" ? "—" : v === "true" ? t("try.yes") : v === "false" ? t("try.no") : v,
      })));
    } else {
      field = document.createElement("input");
      field.type = input.type === "number" ? "number" : "text";
    }
    field.dataset.input = input.id;
    field.value = keepInputs.get(input.id) ?? "";
    label.append(field);
    inputs.append(label);
  }
  for (const d of m.documents) {
    const label = document.createElement("label");
    label.className = "check";
    const box = Object.assign(document.createElement("input"), { type: "checkbox", checked: true });
    box.dataset.document = d.id;
    label.append(box, " ", d.name.length > 90 ? d.name.slice(0, 89) + "…" : d.name);
    documents.append(label);
  }
}
$("tab-try").addEventListener("tab-shown", renderTryForm);

interface TryResult {
  receivedAt: string; appointmentAt?: string | null; status: string; refusal?: string | null;
  steps: { id: string; name: string; agency: string; startedAt?: string | null; dueAt?: string | null; status: string; outcome?: string | null }[];
  letters: { form: string; title: string; issuedAt: string }[];
  holidaysSkipped: { date: string; reason: string }[];
  documentsMissing: string[];
}

$("try-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!editor) return;
  const inputs: Record<string, string> = {};
  for (const e of $("try-inputs").querySelectorAll<HTMLInputElement | HTMLSelectElement>("[data-input]")) if (e.value !== "") inputs[e.dataset.input!] = e.value;
  const documents = [...$("try-documents").querySelectorAll<HTMLInputElement>("[data-document]")].filter((b) => b.checked).map((b) => b.dataset.document!);
  const { data, error, response } = await api.POST("/api/definitions/try", {
    body: { yaml: editor.text(), receivedAt: ($("try-at") as HTMLInputElement).value, inputs, documents },
  });
  const out = $("try-result");
  if (!response.ok) {
    out.replaceChildren(Object.assign(document.createElement("p"), { className: "error", textContent: problemText(response.status, error) }));
    return;
  }
  const r = data as unknown as TryResult;
  const el = (tag: string, text?: string, id?: string) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (id) e.id = id;
    return e;
  };
  const nodes: Node[] = [];
  const head = el("p");
  head.append(t("try.received", { at: r.receivedAt }) + " ");
  if (r.appointmentAt) head.append(t("try.appointment") + " ", el("strong", r.appointmentAt, "try-appointment"));
  else head.append(el("strong", r.refusal ?? t("try.noAppointment"), "try-appointment"));
  nodes.push(head);
  if (r.documentsMissing.length) nodes.push(el("p", t("try.missing", { documents: r.documentsMissing.join(", ") })));
  const table = el("table", undefined, "try-steps");
  const tr = el("tr");
  for (const c of ["step", "agency", "started", "due", "status"]) tr.append(el("th", t("try.col." + c)));
  table.append(tr);
  for (const s of r.steps) {
    const row = el("tr");
    row.dataset.step = s.id;
    row.append(el("td", s.id), el("td", s.agency), el("td", s.startedAt ?? "—"), el("td", s.dueAt ?? "—"), el("td", t("try.step." + s.status.toLowerCase())));
    table.append(row);
  }
  nodes.push(table);
  nodes.push(el("h3", t("try.holidays")));
  const holidays = el("ul", undefined, "try-holidays");
  holidays.append(...(r.holidaysSkipped.length ? r.holidaysSkipped.map((h) => el("li", `${day(h.date)}: ${h.reason}`)) : [el("li", t("try.noHolidays"))]));
  nodes.push(holidays);
  nodes.push(el("h3", t("try.letters")));
  const letters = el("ul", undefined, "try-letters");
  letters.append(...r.letters.map((l) => el("li", `${l.form} · ${l.title} · ${l.issuedAt}`)));
  nodes.push(letters);
  out.replaceChildren(...nodes);
});

// ---- Procedure sheet: the record as a printable page (print to PDF from the browser) ----

$("sheet").addEventListener("click", async () => {
  if (!editor) return;
  const { readModel } = await import("./model");
  const { sheetHtml } = await import("./sheet");
  const m = readModel(editor.text());
  const html = sheetHtml(m, svg ? (await import("./diagram")).svgText(svg).replace(/^<\?xml[^>]*>\s*/, "") : "", (k, p) => t(k, p), duration, day);
  const url = URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" }));
  const sheet = window.open(url, "_blank");
  // The sheet inherits the server's Content-Security-Policy (no inline script or handler): its print button is wired here.
  sheet?.addEventListener("load", () => sheet.document.getElementById("sheet-print")?.addEventListener("click", () => sheet.print()));
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
});

// ---- Tabs (arrow keys move between them, as the ARIA pattern says) ----

const tabs = [...document.querySelectorAll<HTMLButtonElement>("[role=tab]")];
function selectTab(tab: HTMLButtonElement) {
  for (const other of tabs) {
    const on = other === tab;
    other.setAttribute("aria-selected", String(on));
    other.tabIndex = on ? 0 : -1;
    $(other.getAttribute("aria-controls")!).hidden = !on;
  }
  tab.dispatchEvent(new CustomEvent("tab-shown", { bubbles: true }));
}
for (const tab of tabs) {
  tab.addEventListener("click", () => selectTab(tab));
  tab.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(tab);
    const next = e.key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : e.key === "ArrowLeft" ? tabs[(i - 1 + tabs.length) % tabs.length] : null;
    if (next) {
      selectTab(next);
      next.focus();
    }
  });
}

onLangChange(() => {
  renderCatalogue();
  void loadDrafts();
  if (lastResult) {
    showProblems(lastResult.problems);
    showPreview(lastResult.preview);
    void redraw(lastResult.problems);
  }
});

void mountSession($("sign-in-form") as HTMLFormElement, $("session-badge"), async (s) => {
  session = s;
  $("designer").hidden = false;
  if (!isAdmin()) say(t("designer.readOnly"));
  // The catalogue first; the editor (the largest part) is fetched once it shows.
  await Promise.all([loadCatalogue(), loadDrafts()]);
  performance.mark("catalogue-shown");
  await ensureEditor();
}, () => {
  session = null;
  $("designer").hidden = true;
});
