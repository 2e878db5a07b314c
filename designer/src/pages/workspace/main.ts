// The officers' workspace: the agency's worklist (due order, badges, filters, search, keyset pages), the counter
// receipt (procedure search without accents, documents ticked from the procedure's list, the appointment the
// decider would give shown before confirming, then form 01 or 02 ready to print) and the dossier page (steps with
// who/when/due/lateness, the actions this officer may take now as the server's decider allows them, letters and
// the control slip to print or download, history). Everything goes with the session cookie.
import "../../lib/base.css";
import "../../lib/workspace.css";
import { api } from "../../lib/api";
import type { paths } from "../../api/schema";
import { apply, bindSwitch, duration, extend, lang, onLangChange, t } from "../../lib/i18n";
import { mountSession, type Session } from "../../lib/session";
import { badge, body, el, fold, lateText, problemMessage as problemText, when } from "../../lib/ws";
import { vi, en } from "./messages";

extend(vi, en);
apply(document);
bindSwitch(document.getElementById("lang") as HTMLButtonElement);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const say = (text: string, error = false) => {
  const s = $("status");
  s.textContent = text;
  s.className = "status-line" + (error ? " error" : "");
};

interface Item { dossierId: string; code: string | null; procedureCode: string | null; procedureName: string | null; applicant: string | null; status: string; statusText: string; work: string; workName: string; agency: string | null; agencyName: string; dueAt: string | null; badges: string[] }
interface Page { agency: string | null; agencyName: string; items: Item[]; next: string | null; counts: { total: number; overdue: number; atRisk: number; awaitingSupplement: number } | null }
interface Catalogue { fields: { id: string; name: string }[]; agencies: { id: string; name: string }[]; procedures: { code: string; version: number; name: string; field: string; folded: string; timeLimit: string; oneStops: string[] }[] }

type SessionPlus = Session & { oneStop?: boolean };
let session: SessionPlus | null = null;
let catalogue: Catalogue | null = null;

async function loadCatalogue(): Promise<Catalogue> {
  if (catalogue) return catalogue;
  const { data, response, error } = await api.GET("/api/workspace/catalogue");
  if (!response.ok) throw new Error(problemText(response.status, error));
  catalogue = body<Catalogue>(data);
  const fieldSelect = $<HTMLSelectElement>("field-filter");
  const procedureSelect = $<HTMLSelectElement>("procedure-filter");
  fieldSelect.append(...catalogue.fields.map((f) => el("option", { value: f.id }, f.name)));
  $<HTMLSelectElement>("agency-filter").append(...catalogue.agencies.map((a) => el("option", { value: a.id }, a.name)));
  procedureSelect.append(...catalogue.procedures.map((p) => el("option", { value: p.code }, `${p.code} — ${p.name}`)));
  return catalogue;
}

function show(section: "worklist" | "receive" | "dossier") {
  for (const name of ["worklist", "receive", "dossier"]) $(name).hidden = name !== section;
  for (const name of ["worklist", "receive"]) {
    const tab = $("tab-" + name);
    if (name === section) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  $("tab-receive").hidden = !(session?.role === "officer" && session.oneStop);
  $("agency-pick").hidden = !!session?.agency;
  $("tab-audit").hidden = !(session?.role === "auditor" || session?.role === "admin");
}

// --- Worklist --------------------------------------------------------------------------------------------------

/** Cursors of the pages shown so far: cursors[i] opens page i+1 (page 1 has none). */
let cursors: (string | undefined)[] = [undefined];
let pageIndex = 0;
let nextCursor: string | null = null;

function filters() {
  const v = (id: string) => ($(id) as HTMLInputElement).value.trim() || undefined;
  return {
    // Auditors and administrators (no agency of their own) pick whose queue to read; an officer reads its own.
    agency: session?.agency ? undefined : v("agency-filter"),
    q: v("q"), badge: v("badge"), status: v("status-filter"), field: v("field-filter"), procedure: v("procedure-filter"),
    receivedFrom: v("received-from"), receivedTo: v("received-to"),
  };
}

/** The last worklist request sent: an answer to an earlier one (the first load, overtaken by a search) is dropped. */
let worklistSeq = 0;

async function loadWorklist(index = 0) {
  const started = performance.now();
  const seq = ++worklistSeq;
  const asked = filters();
  const { data, response, error } = await api.GET("/api/worklist", { params: { query: { ...asked, after: cursors[index], limit: 50 } as never } });
  if (seq !== worklistSeq) return;
  if (!response.ok) {
    say(problemText(response.status, error), true);
    return;
  }
  const page = body<Page>(data);
  pageIndex = index;
  nextCursor = page.next;
  if (page.next) cursors[index + 1] = page.next;
  $("agency-name").textContent = page.agencyName;
  if (page.counts) {
    const c = page.counts;
    $("counts").replaceChildren(
      el("span", { id: "count-total" }, t("ws.total", { n: c.total.toLocaleString(lang() === "vi" ? "vi-VN" : "en-GB") })),
      el("span", { class: "badge overdue", id: "count-overdue" }, `${t("badge.overdue")}: ${c.overdue}`),
      el("span", { class: "badge atRisk", id: "count-atRisk" }, `${t("badge.atRisk")}: ${c.atRisk}`),
      el("span", { class: "badge awaitingSupplement", id: "count-awaitingSupplement" }, `${t("badge.awaitingSupplement")}: ${c.awaitingSupplement}`));
  }
  const rows = page.items.map((i) => el("tr", { "data-dossier": i.dossierId, "data-work": i.work },
    el("td", {}, el("a", { href: "#dossier=" + encodeURIComponent(i.dossierId) }, i.code ?? i.dossierId)),
    el("td", {}, i.procedureName ?? i.procedureCode ?? ""),
    el("td", {}, i.applicant ?? ""),
    el("td", {}, i.workName, el("div", { class: "muted" }, i.statusText)),
    el("td", {}, el("time", { datetime: i.dueAt ?? undefined }, when(i.dueAt))),
    el("td", {}, ...i.badges.map(badge))));
  $("rows").replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "6", class: "muted" }, t("ws.noWork")))]));
  $<HTMLButtonElement>("next").disabled = page.next === null;
  $<HTMLButtonElement>("previous").disabled = index === 0;
  $<HTMLButtonElement>("first").disabled = index === 0;
  $("page-number").textContent = t("ws.page", { n: index + 1 });
  // Tests and the curious read how long the page took to come back.
  $("rows").dataset.page = String(index + 1);
  $("rows").dataset.query = asked.q ?? "";
  $("rows").dataset.ms = String(Math.round(performance.now() - started));
}

function restartWorklist() {
  cursors = [undefined];
  void loadWorklist(0);
}

// --- Dossier page ----------------------------------------------------------------------------------------------

interface Step { id: string; name: string; agency: string; agencyName: string; status: string; startedAt: string | null; dueAt: string | null; completedAt: string | null; completedBy: string | null; completedByName: string | null; outcome: string | null; lateMinutes: number; mine: boolean }
interface Letter { n: number; title: string; form: string; issuedAt: string; url: string }
interface HistoryEntry { version: number; type: string; typeName: string; summary: string | null; at: string; user: string; userName: string | null; agency: string; agencyName: string }
interface Action { action: string; step?: string; stepName?: string; dueAt?: string | null; outcomes?: { id: string; name: string }[]; documents?: { id: string; name: string }[] }
interface DossierPage {
  id: string; code: string | null; version: number; status: string; statusText: string; procedureName: string | null; procedure: { code: string; version: number };
  applicant: string | null; receivedAt: string | null; appointmentAt: string | null; overdue: boolean; chainIntact: boolean;
  receivedBy: { name: string | null; agencyName: string } | null; steps: Step[]; letters: Letter[]; history: HistoryEntry[];
  controlSlip: string | null; actingAgency: string | null; actions: Action[];
}

let openedId: string | null = null;

async function openDossier(id: string) {
  show("dossier");
  openedId = id;
  const { data, response, error } = await api.GET("/api/workspace/dossiers/{id}", { params: { path: { id } } });
  if (!response.ok) {
    say(problemText(response.status, error), true);
    $("dossier-title").textContent = "";
    return;
  }
  say("");
  renderDossier(body<DossierPage>(data));
}

function renderDossier(d: DossierPage) {
  $("dossier-title").textContent = `${t("ws.dossier")} ${d.code ?? d.id}`;
  $("dossier").dataset.version = String(d.version);
  const warning = $("chain-warning");
  warning.hidden = d.chainIntact;
  warning.textContent = d.chainIntact ? "" : t("ws.chainBroken");
  $("dossier-facts").replaceChildren(
    el("dt", {}, t("ws.procedureName")), el("dd", {}, `${d.procedure.code} — ${d.procedureName ?? ""}`),
    el("dt", {}, t("ws.applicant")), el("dd", {}, d.applicant ?? "—"),
    el("dt", {}, t("ws.status")), el("dd", { id: "dossier-status" }, t("status." + d.status) !== "status." + d.status ? t("status." + d.status) : d.statusText),
    el("dt", {}, t("ws.receivedAt")), el("dd", {}, when(d.receivedAt), d.receivedBy ? ` · ${d.receivedBy.name ?? ""}, ${d.receivedBy.agencyName}` : ""),
    el("dt", {}, t("ws.appointmentAt")), el("dd", { id: "dossier-appointment" }, when(d.appointmentAt), d.overdue ? el("span", {}, " ", badge("overdue")) : null));

  $("steps").replaceChildren(...d.steps.map((s) => el("tr", { "data-step": s.id, "data-status": s.status, class: s.mine ? "mine" : undefined },
    el("th", { scope: "row" }, s.name, el("div", { class: "muted" }, t("step." + s.status))),
    el("td", {}, s.agencyName),
    el("td", {}, when(s.startedAt)),
    el("td", {}, when(s.dueAt)),
    el("td", {}, when(s.completedAt)),
    el("td", {}, s.completedByName ?? ""),
    el("td", { class: s.lateMinutes > 0 ? "error" : undefined }, s.startedAt ? lateText(s.lateMinutes) : ""))));

  const letters = d.letters.map((l) => el("li", { "data-form": l.form },
    el("span", {}, `${t("ws.form", { form: l.form })} · ${l.title} · ${when(l.issuedAt)} `),
    el("a", { href: l.url, target: "_blank", rel: "noopener", class: "print-link" }, t("ws.print")), " ",
    el("a", { href: l.url + "?format=pdf", download: "" }, "PDF")));
  if (d.controlSlip) {
    letters.push(el("li", { "data-form": "control-slip" },
      el("span", {}, t("ws.controlSlip") + " "),
      el("a", { href: d.controlSlip, target: "_blank", rel: "noopener", id: "control-slip" }, t("ws.print")), " ",
      el("a", { href: d.controlSlip + "?format=pdf", download: "" }, "PDF")));
  }
  $("letters").replaceChildren(...letters);

  $("history").replaceChildren(...d.history.map((h) => el("li", { "data-type": h.type },
    el("time", { datetime: h.at }, when(h.at)), " · ",
    el("strong", {}, lang() === "en" ? t("event." + h.type) : h.typeName),
    h.summary ? ` (${h.summary})` : "", " · ", `${h.userName ?? h.user}, ${h.agencyName}`)));

  renderActions(d);
}

function renderActions(d: DossierPage) {
  const holder = $("actions");
  holder.replaceChildren();
  for (const a of d.actions) holder.append(actionForm(d, a));
  if (!d.actions.length) holder.append(el("p", { class: "muted", id: "no-actions" }, session?.role === "officer" ? t("ws.nothingToDo") : t("ws.readOnly")));
}

let formSeq = 0;

/** One action as a small form: what it needs (outcome and note, documents, reason) and its button. */
function actionForm(d: DossierPage, a: Action): HTMLElement {
  const n = ++formSeq;
  const form = el("form", { class: "action", "data-action": a.action, "data-step": a.step });
  const fields: HTMLElement[] = [];
  const id = (name: string) => `a${n}-${name}`;
  let title = "";
  switch (a.action) {
    case "complete":
      title = t("ws.completeStep", { step: a.stepName ?? a.step ?? "" });
      if ((a.outcomes ?? []).length > 1) {
        fields.push(el("label", { for: id("outcome") }, t("ws.outcome")),
          el("select", { id: id("outcome"), name: "outcome" }, ...(a.outcomes ?? []).map((o) => el("option", { value: o.id }, o.name))));
      } else {
        fields.push(el("input", { type: "hidden", name: "outcome", value: a.outcomes?.[0]?.id ?? "" }));
      }
      fields.push(el("label", { for: id("note") }, t("ws.note")), el("input", { id: id("note"), name: "note", size: "40" }));
      break;
    case "request-supplement":
      title = t("ws.requestSupplement", { step: a.stepName ?? a.step ?? "" });
      fields.push(documentBoxes(a.documents ?? [], id), el("label", { for: id("reason") }, t("ws.reason")), el("input", { id: id("reason"), name: "reason", size: "50", required: true }));
      break;
    case "supplement":
      title = t("ws.supplement");
      fields.push(documentBoxes(a.documents ?? [], id, true));
      break;
    case "return":
      title = t("ws.return");
      break;
    case "receive":
      title = t("ws.acceptOnline");
      break;
    case "refuse":
      title = t("ws.refuseOnline");
      fields.push(el("label", { for: id("reason") }, t("ws.refuseReason")), el("input", { id: id("reason"), name: "reason", size: "50", required: true }));
      break;
    case "apologize":
      title = t("ws.apologize");
      fields.push(el("label", { for: id("reason") }, t("ws.reason")), el("input", { id: id("reason"), name: "reason", size: "50", required: true }));
      break;
    case "evaluate":
      title = t("ws.evaluate");
      fields.push(el("label", { for: id("score") }, t("ws.score")),
        el("select", { id: id("score"), name: "score" }, ...[5, 4, 3, 2, 1].map((n) => el("option", { value: String(n) }, t("ws.score" + n)))),
        el("label", { for: id("comment") }, t("ws.comment")), el("input", { id: id("comment"), name: "comment", size: "50" }));
      break;
    case "withdraw":
      title = t("ws.withdraw");
      fields.push(el("label", { for: id("reason") }, t("ws.reason")), el("input", { id: id("reason"), name: "reason", size: "50" }));
      break;
    default:
      title = a.action;
  }
  const primary = a.action === "complete" || a.action === "return" || a.action === "receive";
  const submit = el("button", { type: "submit", class: primary ? "primary" : undefined }, title);
  const wrapper = primary ? form : el("details", { class: "action-more" }, el("summary", {}, title), form);
  form.append(...fields, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const payload: Record<string, unknown> = {};
    if (a.step) payload.step = a.step;
    for (const key of ["outcome", "note", "reason", "comment"]) {
      const value = String(data.get(key) ?? "").trim();
      if (value) payload[key] = value;
    }
    if (data.has("score")) payload.score = Number(data.get("score"));
    const documents = data.getAll("documents").map(String);
    if (documents.length) payload.documents = documents;
    void act(d, a.action, payload, submit);
  });
  return wrapper;
}

function documentBoxes(documents: { id: string; name: string }[], id: (name: string) => string, checked = false): HTMLElement {
  return el("fieldset", {}, el("legend", {}, t("ws.documents")),
    ...documents.map((doc, i) => el("div", {}, el("input", { type: "checkbox", name: "documents", value: doc.id, id: id("doc" + i), checked }), " ",
      el("label", { for: id("doc" + i) }, doc.name))));
}

/** Each command has its own route in the API (and its own body in the generated schema). */
const commandPaths = {
  complete: "/api/dossiers/{id}/complete",
  "request-supplement": "/api/dossiers/{id}/request-supplement",
  supplement: "/api/dossiers/{id}/supplement",
  return: "/api/dossiers/{id}/return",
  withdraw: "/api/dossiers/{id}/withdraw",
  apologize: "/api/dossiers/{id}/apologize",
  refuse: "/api/dossiers/{id}/refuse",
  receive: "/api/dossiers/{id}/receive",
  evaluate: "/api/dossiers/{id}/evaluate",
} as const satisfies Record<string, keyof paths>;

function commandPath(action: string): (typeof commandPaths)[keyof typeof commandPaths] {
  const path = (commandPaths as Record<string, (typeof commandPaths)[keyof typeof commandPaths]>)[action];
  if (!path) throw new Error(`unknown command ${action}`);
  return path;
}

async function act(d: DossierPage, action: string, payload: Record<string, unknown>, button: HTMLButtonElement) {
  button.disabled = true;
  try {
    const { response, error } = await api.POST(commandPath(action), {
      params: { path: { id: d.id }, header: { "If-Match": `"${d.version}"` } as never },
      body: payload as never,
    });
    if (!response.ok) {
      say(problemText(response.status, error), true);
      return;
    }
    await openDossier(d.id);
    say(t("ws.done"));
  } finally {
    button.disabled = false;
  }
}

// --- Counter receipt -------------------------------------------------------------------------------------------

interface Preview {
  code: string; version: number; name: string; timeLimit: string;
  inputs: { id: string; name: string; type: string; values: string[] }[];
  documents: { id: string; name: string; copies: number; original: boolean; conditional: boolean; ticked: boolean }[];
  complete: boolean; missing: { id: string; name: string }[]; appointmentAt: string | null; refusal: string | null;
}

let chosen: string | null = null;
let answers: Record<string, string> = {};
let ticks = new Set<string>();
let previewSeq = 0;

async function searchProcedures() {
  // Only what this counter receives: procedures whose one-stop units include the officer's agency.
  const all = (await loadCatalogue()).procedures.filter((p) => session?.agency != null && p.oneStops.includes(session.agency));
  const q = fold($<HTMLInputElement>("procedure-search").value);
  const hits = q.length < 2 ? [] : all.filter((p) => p.folded.includes(q) || p.code.includes(q));
  $("procedure-count").textContent = q.length < 2 ? t("ws.typeTwo") : t("ws.found", { n: hits.length });
  $("procedure-results").replaceChildren(...hits.slice(0, 15).map((p) => {
    const b = el("button", { type: "button", class: "linkish", "data-code": p.code }, `${p.code} — ${p.name}`);
    b.addEventListener("click", () => choose(p.code));
    return el("li", {}, b);
  }));
}

function choose(code: string) {
  chosen = code;
  answers = {};
  ticks = new Set();
  $("pick").hidden = true;
  $("receipt-result").hidden = true;
  for (const id of ["applicant-name", "applicant-phone", "applicant-email", "applicant-address"]) $<HTMLInputElement>(id).value = "";
  void preview();
}

async function preview() {
  if (!chosen) return;
  const seq = ++previewSeq;
  const { data, response, error } = await api.POST("/api/workspace/receipt-preview", { body: { procedure: chosen, inputs: answers, documents: [...ticks] } as never });
  if (seq !== previewSeq) return; // a later answer is on its way
  if (!response.ok) {
    say(problemText(response.status, error), true);
    return;
  }
  const p = body<Preview>(data);
  $("receive-form").hidden = false;
  $("chosen").textContent = `${p.code} — ${p.name} (${t("ws.timeLimit")}: ${duration(p.timeLimit)})`;
  $("inputs-box").hidden = p.inputs.length === 0;
  const focused = document.activeElement?.id;
  $("inputs").replaceChildren(...p.inputs.map((i) => {
    const id = "input-" + i.id;
    const options = i.values.length ? i.values.map((v) => [v, v]) : i.type === "bool" ? [["true", t("ws.yes")], ["false", t("ws.no")]] : null;
    const control = options
      ? el("select", { id, "data-input": i.id }, el("option", { value: "" }, "—"), ...options.map(([v, label]) => el("option", { value: v, selected: answers[i.id] === v }, label)))
      : el("input", { id, "data-input": i.id, value: answers[i.id] ?? "", type: i.type === "number" ? "number" : i.type === "date" ? "date" : "text" });
    control.addEventListener("change", () => {
      const value = (control as HTMLInputElement).value;
      if (value) answers[i.id] = value;
      else delete answers[i.id];
      void preview();
    });
    return el("div", { class: "field" }, el("label", { for: id }, i.name), control);
  }));
  $("documents").replaceChildren(...p.documents.map((d) => {
    const id = "doc-" + d.id;
    const box = el("input", { type: "checkbox", id, value: d.id, checked: ticks.has(d.id) });
    box.addEventListener("change", () => {
      if (box.checked) ticks.add(d.id);
      else ticks.delete(d.id);
      void preview();
    });
    return el("div", { class: "doc" + (d.conditional ? " conditional" : ""), "data-document": d.id }, box, " ",
      el("label", { for: id }, d.name, el("span", { class: "muted" }, ` · ${d.copies} ${d.original ? t("ws.original") : t("ws.copy")}${d.conditional ? " · " + t("ws.conditional") : ""}`)));
  }));
  // Ticks of documents that no longer apply (an input changed) are dropped.
  for (const id of [...ticks]) if (!p.documents.some((d) => d.id === id)) ticks.delete(id);
  if (focused) document.getElementById(focused)?.focus();

  const box = $("appointment");
  box.className = "appointment " + (p.refusal ? "error" : p.complete ? "ok" : "warning");
  box.dataset.complete = String(p.complete);
  if (p.refusal) box.replaceChildren(el("p", {}, p.refusal));
  else if (p.complete) box.replaceChildren(el("p", {}, t("ws.appointmentIf"), " ", el("strong", { id: "preview-appointment" }, when(p.appointmentAt))));
  else box.replaceChildren(el("p", {}, t("ws.missingIntro")), el("ul", { id: "missing" }, ...p.missing.map((m) => el("li", {}, m.name))), el("p", {}, t("ws.guidanceInstead")));
  $("confirm-receipt").textContent = p.complete ? t("ws.confirm") : t("ws.confirmGuidance");
}

async function confirmReceipt(event: SubmitEvent) {
  event.preventDefault();
  await submitReceipt($<HTMLButtonElement>("confirm-receipt"));
}

/** Refusal at the counter (form 03): the same dossier details, with the reason printed on the refusal letter. */
async function confirmRefusal() {
  const reason = $<HTMLInputElement>("refuse-reason").value.trim();
  if (!reason) {
    say(t("ws.refuseNeedsReason"), true);
    $("refuse-reason").focus();
    return;
  }
  if (!$<HTMLFormElement>("receive-form").reportValidity()) return;
  await submitReceipt($<HTMLButtonElement>("confirm-refusal"), reason);
}

async function submitReceipt(button: HTMLButtonElement, refuse?: string) {
  const v = (id: string) => $<HTMLInputElement>(id).value.trim();
  button.disabled = true;
  try {
    const { data, response, error } = await api.POST("/api/dossiers", {
      params: { header: { "Idempotency-Key": crypto.randomUUID() } as never },
      body: {
        procedure: { code: chosen! },
        applicant: { name: v("applicant-name"), phone: v("applicant-phone") || undefined, email: v("applicant-email") || undefined, address: v("applicant-address") || undefined },
        inputs: answers, documents: [...ticks], refuse,
      } as never,
    });
    if (!response.ok) {
      say(problemText(response.status, error), true);
      return;
    }
    const r = body<{ id: string; code: string | null; status: string; appointmentAt: string | null; letter: { title: string; url: string; form: string } | null }>(data);
    $("receive-form").hidden = true;
    $("receipt-result").hidden = false;
    const outcome = refuse ? t("ws.refused") : r.code ? t("ws.received", { code: r.code, at: when(r.appointmentAt) }) : t("ws.guidance");
    $("receipt-summary").textContent = outcome;
    $("receipt-result").dataset.form = r.letter?.form ?? "";
    $<HTMLAnchorElement>("receipt-dossier").hidden = !r.code || !!refuse;
    $<HTMLAnchorElement>("receipt-dossier").href = "#dossier=" + encodeURIComponent(r.id);
    if (r.letter) {
      $<HTMLAnchorElement>("letter-open").href = r.letter.url;
      $<HTMLAnchorElement>("letter-pdf").href = r.letter.url + "?format=pdf";
      $<HTMLIFrameElement>("letter-frame").title = r.letter.title;
      $<HTMLIFrameElement>("letter-frame").src = r.letter.url;
    }
    say(outcome);
  } finally {
    button.disabled = false;
  }
}

function newReceipt() {
  chosen = null;
  $<HTMLInputElement>("refuse-reason").value = "";
  $<HTMLDetailsElement>("refuse-box").open = false;
  $("receive-form").hidden = true;
  $("receipt-result").hidden = true;
  $("pick").hidden = false;
  $<HTMLInputElement>("procedure-search").value = "";
  $("procedure-results").replaceChildren();
  $("procedure-count").textContent = "";
  $("procedure-search").focus();
}

// --- Wiring ----------------------------------------------------------------------------------------------------

function route() {
  if (!session) return;
  const hash = location.hash;
  if (hash.startsWith("#dossier=")) void openDossier(decodeURIComponent(hash.slice(9)));
  else if (hash === "#receive" && session.role === "officer" && session.oneStop) {
    show("receive");
    void loadCatalogue();
    if (!chosen) $("procedure-search").focus();
  } else {
    show("worklist");
    void loadCatalogue().then(() => restartWorklist(), (e: Error) => say(e.message, true));
  }
}

$("filters").addEventListener("submit", (e) => {
  e.preventDefault();
  restartWorklist();
});
$("filters").addEventListener("reset", () => setTimeout(restartWorklist));
$("next").addEventListener("click", () => { if (nextCursor) void loadWorklist(pageIndex + 1); });
$("previous").addEventListener("click", () => void loadWorklist(Math.max(0, pageIndex - 1)));
$("first").addEventListener("click", () => void loadWorklist(0));
$("procedure-search").addEventListener("input", () => void searchProcedures());
$("change-procedure").addEventListener("click", newReceipt);
$("receive-another").addEventListener("click", newReceipt);
$("receive-form").addEventListener("submit", (e) => void confirmReceipt(e as SubmitEvent));
$("confirm-refusal").addEventListener("click", () => void confirmRefusal());
$("print-letter").addEventListener("click", () => $<HTMLIFrameElement>("letter-frame").contentWindow?.print());
window.addEventListener("hashchange", route);
onLangChange(() => {
  if (!session) return;
  if (!$("dossier").hidden && openedId) void openDossier(openedId);
  else if (!$("worklist").hidden) void loadWorklist(pageIndex);
  else if (chosen && !$("receive-form").hidden) void preview();
});

void mountSession($("sign-in-form") as HTMLFormElement, $("session-badge"), (s) => {
  session = s as SessionPlus;
  $("work").hidden = false;
  route();
}, () => {
  session = null;
  $("work").hidden = true;
});
