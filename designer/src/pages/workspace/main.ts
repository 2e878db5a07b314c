// The officers' workspace: the agency's worklist (due order, badges, filters, search, keyset pages), the dossier
// page (steps, the actions this officer may take now and only those, letters to print, history) and the counter
// receipt (procedure search, documents ticked from its list, appointment shown before confirming, form 01 to print).
import "../../lib/base.css";
import "../../lib/workspace.css";
import { api, problemText } from "../../lib/api";
import { apply, bindSwitch, extend, t } from "../../lib/i18n";
import { mountSession, type Session } from "../../lib/session";
import { body, el, fold, when } from "../../lib/ws";

extend(
  {
    "ws.title": "Bàn làm việc một cửa", "ws.worklist": "Danh sách việc", "ws.receive": "Tiếp nhận hồ sơ",
    "ws.worklistOf": "Việc đang chờ", "ws.search": "Mã hồ sơ hoặc người nộp", "ws.badge": "Nhãn", "ws.all": "Tất cả",
    "ws.statusFilter": "Trạng thái", "ws.procedure": "Mã thủ tục", "ws.receivedFrom": "Tiếp nhận từ", "ws.receivedTo": "đến",
    "ws.apply": "Lọc", "ws.code": "Mã hồ sơ", "ws.procedureName": "Thủ tục", "ws.applicant": "Người nộp", "ws.work": "Việc",
    "ws.due": "Hạn xử lý", "ws.badges": "Nhãn", "ws.more": "Trang sau", "ws.actions": "Việc của cơ quan bạn", "ws.steps": "Các bước xử lý",
    "ws.step": "Bước", "ws.agency": "Cơ quan", "ws.started": "Bắt đầu", "ws.completed": "Hoàn thành", "ws.late": "Trễ",
    "ws.letters": "Văn bản", "ws.history": "Lịch sử", "ws.findProcedure": "Tìm thủ tục (tên hoặc mã)", "ws.documents": "Thành phần hồ sơ",
    "ws.applicantDetails": "Người nộp", "ws.applicantName": "Họ và tên", "ws.phone": "Điện thoại", "ws.address": "Địa chỉ",
    "ws.confirm": "Xác nhận tiếp nhận", "ws.noWork": "Không có việc nào đang chờ.", "ws.total": "Tổng {n}",
    "ws.completeStep": "Hoàn thành bước “{step}”", "ws.return": "Trả kết quả", "ws.resultSlip": "In phiếu trả kết quả (mã QR đánh giá)",
    "ws.nothingToDo": "Cơ quan bạn không có việc nào với hồ sơ này lúc này.", "ws.done": "Đã ghi nhận.",
    "ws.appointment": "Ngày hẹn trả kết quả nếu tiếp nhận bây giờ: {at}", "ws.missing": "Còn thiếu: {list}. Xác nhận sẽ lập phiếu hướng dẫn (mẫu 02).",
    "ws.received": "Đã tiếp nhận hồ sơ {code}.", "ws.guidance": "Hồ sơ chưa đủ: đã lập phiếu hướng dẫn bổ sung (mẫu 02).",
    "ws.print": "In {title}", "ws.status": "Trạng thái", "ws.receivedAt": "Tiếp nhận", "ws.appointmentAt": "Hẹn trả", "ws.lateBy": "trễ {h} giờ",
  },
  {
    "ws.title": "One-stop workspace", "ws.worklist": "Worklist", "ws.receive": "Receive a dossier",
    "ws.worklistOf": "Waiting on", "ws.search": "Dossier code or applicant", "ws.badge": "Badge", "ws.all": "All",
    "ws.statusFilter": "Status", "ws.procedure": "Procedure code", "ws.receivedFrom": "Received from", "ws.receivedTo": "to",
    "ws.apply": "Filter", "ws.code": "Dossier code", "ws.procedureName": "Procedure", "ws.applicant": "Applicant", "ws.work": "Work",
    "ws.due": "Due", "ws.badges": "Badges", "ws.more": "Next page", "ws.actions": "Your agency's work", "ws.steps": "Steps",
    "ws.step": "Step", "ws.agency": "Agency", "ws.started": "Started", "ws.completed": "Completed", "ws.late": "Late",
    "ws.letters": "Letters", "ws.history": "History", "ws.findProcedure": "Find a procedure (name or code)", "ws.documents": "Documents",
    "ws.applicantDetails": "Applicant", "ws.applicantName": "Full name", "ws.phone": "Phone", "ws.address": "Address",
    "ws.confirm": "Confirm receipt", "ws.noWork": "Nothing is waiting.", "ws.total": "Total {n}",
    "ws.completeStep": "Complete step “{step}”", "ws.return": "Return the result", "ws.resultSlip": "Print the result slip (rating QR code)",
    "ws.nothingToDo": "Your agency has nothing to do on this dossier now.", "ws.done": "Recorded.",
    "ws.appointment": "Appointment if received now: {at}", "ws.missing": "Missing: {list}. Confirming issues the guidance letter (form 02).",
    "ws.received": "Dossier {code} received.", "ws.guidance": "Incomplete: the guidance letter (form 02) was issued.",
    "ws.print": "Print {title}", "ws.status": "Status", "ws.receivedAt": "Received", "ws.appointmentAt": "Appointment", "ws.lateBy": "{h} h late",
  },
);
apply(document);
bindSwitch(document.getElementById("lang") as HTMLButtonElement);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const say = (text: string, error = false) => { const s = $("status"); s.textContent = text; s.className = "status-line" + (error ? " error" : ""); };

interface Item { dossierId: string; code: string | null; procedureCode: string | null; procedureName: string | null; applicant: string | null; status: string; statusText: string; work: string; workName: string; agency: string | null; agencyName: string; dueAt: string | null; badges: string[] }
interface Page { agency: string | null; agencyName: string; items: Item[]; next: string | null; counts: { total: number; overdue: number; atRisk: number; awaitingSupplement: number } | null }
interface Step { id: string; name: string; agency: string; status: string; startedAt: string | null; dueAt: string | null; completedAt: string | null; overdue: boolean }
interface Dossier { id: string; code: string | null; status: string; receivedAt: string | null; appointmentAt: string | null; overdue: boolean; steps: Step[]; letters: { n: number; title: string; form: string; url: string }[] }

let session: Session | null = null;
let next: string | null = null;

function show(section: "worklist" | "receive" | "dossier") {
  $("worklist").hidden = section !== "worklist";
  $("receive").hidden = section !== "receive";
  $("dossier").hidden = section !== "dossier";
  $("tab-worklist").setAttribute("aria-current", section === "worklist" ? "page" : "false");
  $("tab-receive").setAttribute("aria-current", section === "receive" ? "page" : "false");
  $("tab-receive").hidden = session?.role !== "officer";
}

function filters() {
  const v = (id: string) => ($(id) as HTMLInputElement).value.trim() || undefined;
  return { q: v("q"), badge: v("badge"), status: v("status-filter"), procedure: v("procedure-filter"), receivedFrom: v("received-from"), receivedTo: v("received-to") };
}

async function loadWorklist(append = false) {
  const { data, response, error } = await api.GET("/api/worklist", { params: { query: { ...filters(), after: append ? next ?? undefined : undefined, limit: 50 } } });
  if (!response.ok) { say(problemText(response.status, error), true); return; }
  const page = body<Page>(data);
  $("agency-name").textContent = page.agencyName;
  if (page.counts) {
    const c = page.counts;
    $("counts").replaceChildren(
      el("span", {}, t("ws.total", { n: c.total })),
      el("span", { class: "badge overdue" }, `${t("badge.overdue")}: ${c.overdue}`),
      el("span", { class: "badge atRisk" }, `${t("badge.atRisk")}: ${c.atRisk}`),
      el("span", { class: "badge awaitingSupplement" }, `${t("badge.awaitingSupplement")}: ${c.awaitingSupplement}`));
  }
  const rows = page.items.map((i) => el("tr", { "data-dossier": i.dossierId },
    el("td", {}, linkTo(i.dossierId, i.code ?? i.dossierId)),
    el("td", {}, i.procedureName ?? i.procedureCode ?? ""),
    el("td", {}, i.applicant ?? ""),
    el("td", {}, i.workName),
    el("td", {}, when(i.dueAt)),
    el("td", {}, ...i.badges.map((b) => el("span", { class: "badge " + b }, t("badge." + b))))));
  if (append) $("rows").append(...rows);
  else $("rows").replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "6" }, t("ws.noWork")))]));
  next = page.next;
  $("more").hidden = next === null;
  $("rows").dataset.loaded = String(Date.now());
}

function linkTo(id: string, text: string) {
  const b = el("button", { type: "button", class: "linkish" }, text);
  b.addEventListener("click", () => { location.hash = "#dossier=" + encodeURIComponent(id); });
  return b;
}

async function openDossier(id: string) {
  show("dossier");
  const { data, response, error } = await api.GET("/api/dossiers/{id}", { params: { path: { id } } });
  if (!response.ok) { say(problemText(response.status, error), true); return; }
  const d = body<Dossier>(data);
  $("dossier-title").textContent = `${t("ws.code")} ${d.code ?? d.id}`;
  $("dossier-facts").replaceChildren(
    el("dt", {}, t("ws.status")), el("dd", { id: "dossier-status" }, d.status),
    el("dt", {}, t("ws.receivedAt")), el("dd", {}, when(d.receivedAt)),
    el("dt", {}, t("ws.appointmentAt")), el("dd", {}, when(d.appointmentAt)));
  $("steps").replaceChildren(...d.steps.map((s) => {
    const lateHours = s.dueAt && (s.completedAt ?? null) && s.completedAt! > s.dueAt ? Math.round((Date.parse(s.completedAt!) - Date.parse(s.dueAt)) / 36e5) : null;
    return el("tr", {}, el("td", {}, s.name), el("td", {}, s.agency), el("td", {}, when(s.startedAt)), el("td", {}, when(s.dueAt)),
      el("td", {}, when(s.completedAt)), el("td", {}, lateHours ? t("ws.lateBy", { h: lateHours }) : s.overdue ? t("badge.overdue") : ""));
  }));
  $("letters").replaceChildren(...d.letters.map((l) => el("li", {}, el("a", { href: l.url, target: "_blank", rel: "noopener" }, t("ws.print", { title: l.title })), ` (${l.form})`)));
  const events = await api.GET("/api/dossiers/{id}/events", { params: { path: { id } } });
  const history = body<{ events: { seq: number; type: string; at: string; actor: { user: string; agency: string } }[] }>(events.data);
  $("history").replaceChildren(...(history?.events ?? []).map((e) => el("li", {}, `${when(e.at)} · ${e.type} · ${e.actor.user} (${e.actor.agency})`)));
  await renderActions(d);
}

/** The actions this officer may take now: what waits on its agency for this dossier (the server's worklist says so). */
async function renderActions(d: Dossier) {
  const holder = $("actions");
  holder.replaceChildren();
  if (session?.role !== "officer" || !d.code) { holder.append(el("p", { class: "muted" }, t("ws.nothingToDo"))); return; }
  const { data } = await api.GET("/api/worklist", { params: { query: { q: d.code, limit: 10 } } });
  const mine = body<Page>(data).items.filter((i) => i.dossierId === d.id);
  for (const item of mine) {
    if (item.work.startsWith("step/")) {
      const step = item.work.slice(5);
      const b = el("button", { type: "button", class: "primary", "data-action": "complete", "data-step": step }, t("ws.completeStep", { step: item.workName }));
      b.addEventListener("click", () => act(d.id, "complete", { step, outcome: "approved" }));
      holder.append(b, " ");
    } else if (item.work === "return") {
      const b = el("button", { type: "button", class: "primary", "data-action": "return" }, t("ws.return"));
      b.addEventListener("click", () => act(d.id, "return", {}));
      holder.append(b, " ");
    }
  }
  if (d.status === "returned") holder.append(el("a", { href: `/api/dossiers/${encodeURIComponent(d.id)}/result-slip`, target: "_blank", id: "result-slip" }, t("ws.resultSlip")));
  if (!holder.childElementCount) holder.append(el("p", { class: "muted", id: "no-actions" }, t("ws.nothingToDo")));
}

async function act(id: string, action: string, payload: Record<string, unknown>) {
  const { response, error } = await api.POST("/api/dossiers/{id}/{action}", { params: { path: { id, action } }, body: payload as never });
  if (!response.ok) { say(problemText(response.status, error), true); return; }
  say(t("ws.done"));
  await openDossier(id);
}

// --- Counter receipt -------------------------------------------------------------------------------------------

interface Catalogue { code: string; version: number; name: string }
interface Preview { code: string; name: string; timeLimit: string; inputs: { id: string; name: string; type: string; values: string[] }[]; documents: { id: string; name: string; copies: number; original: boolean; conditional: boolean; ticked: boolean }[]; complete: boolean; missing: { id: string; name: string }[]; appointmentAt: string | null; refusal: string | null }

let catalogue: Catalogue[] = [];
let chosen: string | null = null;
const answers: Record<string, string> = {};

async function loadCatalogue() {
  const { data } = await api.GET("/api/definitions");
  const list = body<Catalogue[] | { procedures?: Catalogue[] }>(data);
  catalogue = Array.isArray(list) ? list : list?.procedures ?? [];
}

function searchProcedures() {
  const q = fold(($("procedure-search") as HTMLInputElement).value);
  const hits = q.length < 2 ? [] : catalogue.filter((p) => fold(p.name).includes(q) || p.code.includes(q)).slice(0, 12);
  $("procedure-results").replaceChildren(...hits.map((p) => {
    const b = el("button", { type: "button", class: "linkish" }, `${p.code} — ${p.name}`);
    b.addEventListener("click", () => { chosen = p.code; for (const k of Object.keys(answers)) delete answers[k]; void preview(); });
    return el("li", {}, b);
  }));
}

function ticked(): string[] {
  return [...document.querySelectorAll<HTMLInputElement>("#documents input[type=checkbox]:checked")].map((c) => c.value);
}

async function preview() {
  if (!chosen) return;
  const { data, response, error } = await api.POST("/api/workspace/receipt-preview", { body: { procedure: chosen, inputs: answers, documents: ticked() } as never });
  if (!response.ok) { say(problemText(response.status, error), true); return; }
  const p = body<Preview>(data);
  $("receive-form").hidden = false;
  $("chosen").textContent = `${p.code} — ${p.name} (${p.timeLimit})`;
  $("inputs").replaceChildren(...p.inputs.map((i) => {
    const id = "input-" + i.id;
    const control = i.values.length
      ? el("select", { id }, el("option", { value: "" }, "—"), ...i.values.map((v) => el("option", { value: v, selected: answers[i.id] === v }, v)))
      : i.type === "boolean"
        ? el("select", { id }, el("option", { value: "" }, "—"), el("option", { value: "true", selected: answers[i.id] === "true" }, "Có"), el("option", { value: "false", selected: answers[i.id] === "false" }, "Không"))
        : el("input", { id, value: answers[i.id] ?? "" });
    control.addEventListener("change", () => { answers[i.id] = (control as HTMLInputElement).value; void preview(); });
    return el("p", {}, el("label", { for: id }, i.name + " "), control);
  }));
  $("documents").replaceChildren(...p.documents.map((d) => {
    const id = "doc-" + d.id;
    const box = el("input", { type: "checkbox", id, value: d.id, checked: d.ticked });
    box.addEventListener("change", () => void preview());
    return el("p", {}, box, " ", el("label", { for: id }, `${d.name} (${d.copies} ${d.original ? "bản chính" : "bản sao"})`));
  }));
  $("appointment").textContent = p.refusal ?? (p.complete ? t("ws.appointment", { at: when(p.appointmentAt) }) : t("ws.missing", { list: p.missing.map((m) => m.name).join("; ") }));
}

async function confirmReceipt(event: SubmitEvent) {
  event.preventDefault();
  const v = (id: string) => ($(id) as HTMLInputElement).value.trim();
  const { data, response, error } = await api.POST("/api/dossiers", { body: {
    procedure: { code: chosen! }, applicant: { name: v("applicant-name"), phone: v("applicant-phone") || undefined, address: v("applicant-address") || undefined },
    inputs: answers, documents: ticked(),
  } as never });
  if (!response.ok) { say(problemText(response.status, error), true); return; }
  const r = body<{ id: string; code: string | null; appointmentAt: string | null; letter: { title: string; url: string; form: string } | null }>(data);
  say(r.code ? t("ws.received", { code: r.code }) : t("ws.guidance"));
  $("receipt-result").replaceChildren(
    el("p", {}, r.code ? t("ws.received", { code: r.code }) : t("ws.guidance")),
    r.letter ? el("p", {}, el("a", { id: "receipt-letter", href: r.letter.url, target: "_blank", "data-form": r.letter.form }, t("ws.print", { title: r.letter.title }))) : null);
  $("receive-form").hidden = true;
}

// --- Wiring ----------------------------------------------------------------------------------------------------

function route() {
  const hash = location.hash;
  if (hash.startsWith("#dossier=")) void openDossier(decodeURIComponent(hash.slice(9)));
  else if (hash === "#receive") { show("receive"); if (!catalogue.length) void loadCatalogue(); }
  else { show("worklist"); void loadWorklist(); }
}

$("tab-worklist").addEventListener("click", () => { location.hash = "#worklist"; });
$("tab-receive").addEventListener("click", () => { location.hash = "#receive"; });
$("filters").addEventListener("submit", (e) => { e.preventDefault(); void loadWorklist(); });
$("more").addEventListener("click", () => void loadWorklist(true));
$("procedure-search").addEventListener("input", searchProcedures);
$("receive-form").addEventListener("submit", (e) => void confirmReceipt(e as SubmitEvent));
window.addEventListener("hashchange", route);

void mountSession($("sign-in-form") as HTMLFormElement, $("session-badge"), (s) => {
  session = s;
  $("work").hidden = false;
  route();
}, () => { session = null; $("work").hidden = true; });
