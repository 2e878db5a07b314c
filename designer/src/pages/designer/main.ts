// The procedure designer: catalogue, YAML editor with the server's own validation, preview from the real
// decider, drafts, safe publishing (what is published is the text on screen) and new versions.
import "../../lib/base.css";
import "./designer.css";
import { api, asYaml, problemText } from "../../lib/api";
import { apply, bindSwitch, day, duration, extend, onLangChange, t } from "../../lib/i18n";
import { mountSession, type Session } from "../../lib/session";
import type { EditorHandle, Problem } from "./editor";
import { vi, en } from "./messages";

extend(vi, en);
apply(document);
bindSwitch(document.getElementById("lang") as HTMLButtonElement);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $("status");
const problemsList = $("problems");
const preview = $("preview");

interface Summary { code: string; version: number; name: string; effectiveFrom?: string; effectiveUntil?: string | null; timeLimit?: string }
interface PreviewStep { id: string; name: string; agency: string; duration: string; after: string[]; conditional: boolean; firstDueAt?: string | null }
interface Preview { name: string; timeLimit: string; documents: number; steps: PreviewStep[]; receivedAt?: string | null; appointmentAt?: string | null; problem?: string | null }
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

async function ensureEditor(): Promise<EditorHandle> {
  if (editor) return editor;
  const { createEditor } = await import("./editor");
  editor = createEditor($("editor"), {
    label: t("designer.editor"),
    onChange: () => {
      renderDirty();
      clearTimeout(timer);
      timer = window.setTimeout(() => void validate(), 400);
    },
    onCursor: () => undefined,
  });
  return editor;
}

async function show(text: string, base: { code: string; version: number } | null) {
  const e = await ensureEditor();
  e.setText(text);
  clearTimeout(timer); // validated right below, not again after the debounce
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
  $("opened").textContent = `${code} v${version}`;
  await show(data as unknown as string, { code, version });
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
  nodes.push(table);
  preview.replaceChildren(...nodes);
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
    return null;
  }
  const result = data as unknown as ValidationResult;
  lastResult = result;
  showProblems(result.problems);
  showPreview(result.preview);
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
  $("opened").textContent = `${answer.code} v${answer.version}`;
  ($("new-version") as HTMLButtonElement).disabled = false;
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
});

onLangChange(() => {
  renderCatalogue();
  void loadDrafts();
  if (lastResult) {
    showProblems(lastResult.problems);
    showPreview(lastResult.preview);
  }
});

void mountSession($("sign-in-form") as HTMLFormElement, $("session-badge"), async (s) => {
  session = s;
  $("designer").hidden = false;
  if (!isAdmin()) say(t("designer.readOnly"));
  await Promise.all([loadCatalogue(), loadDrafts(), ensureEditor()]);
}, () => {
  session = null;
  $("designer").hidden = true;
});
