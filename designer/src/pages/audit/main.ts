// The auditor's page: a dossier's events with their hashes and whether each verifies; a slider and a time picker
// that show the state at any instant (the server folds the trusted events with the decider, as `replay --at`
// does); a tampered dossier's intact events, first bad version and last trusted state; and the store-wide
// verification with the comparison against an earlier seal.
import "../../lib/base.css";
import "../../lib/workspace.css";
import { api, csrfHeader } from "../../lib/api";
import { apply, bindSwitch, extend, lang, onLangChange, t } from "../../lib/i18n";
import { mountSession } from "../../lib/session";
import { body, el, problemMessage as problemText, when } from "../../lib/ws";
import { vi as wsVi, en as wsEn } from "../workspace/messages";

extend(wsVi, wsEn);
extend(
  {
    "au.title": "Kiểm soát lịch sử hồ sơ", "au.find": "Tra cứu hồ sơ", "au.code": "Mã hồ sơ", "au.open": "Mở dòng thời gian",
    "au.notAuditor": "Chỉ kiểm soát viên và quản trị viên xem được trang này.",
    "au.stateAt": "Trạng thái tại thời điểm", "au.slider": "Kéo để chọn thời điểm (theo các sự kiện tin cậy)", "au.picker": "hoặc nhập thời điểm", "au.show": "Xem",
    "au.lastTrusted": "Trạng thái tin cậy cuối cùng", "au.events": "Các sự kiện",
    "au.event": "Sự kiện", "au.actor": "Người thực hiện", "au.agency": "Cơ quan",
    "au.instant": "Thời điểm", "au.hash": "Mã băm", "au.verified": "Xác minh", "au.verify": "Kiểm tra toàn bộ kho sự kiện",
    "au.verifyHint": "Kiểm tra mọi mã băm, mắt xích và đầu chuỗi; nếu chọn tệp niêm phong kỳ trước, kiểm tra thêm rằng lịch sử đã niêm phong không bị viết lại.",
    "au.seal": "Tệp niêm phong kỳ trước (không bắt buộc)", "au.runVerify": "Kiểm tra toàn bộ", "au.ok": "✓ hợp lệ", "au.bad": "✗ không tin cậy",
    "au.intact": "Chuỗi băm toàn vẹn: cả {n} sự kiện đều xác minh được.",
    "au.broken": "Chuỗi băm bị phá vỡ từ phiên bản {v}: nội dung đã lưu không còn khớp mã băm. Các sự kiện từ phiên bản {v} trở đi không được tin cậy; trạng thái tin cậy cuối cùng là sau phiên bản {last}.",
    "au.technical": "Chi tiết kỹ thuật",
    "au.status": "Trạng thái", "au.appointment": "Hẹn trả", "au.steps": "Các bước", "au.upTo": "{n} sự kiện tính đến thời điểm này",
    "au.running": "Đang kiểm tra…",
    "au.storeIntact": "Toàn vẹn: {streams} hồ sơ, {events} sự kiện đều xác minh được.",
    "au.storeAltered": "PHÁT HIỆN SỬA ĐỔI: {n} phát hiện.",
    "au.sealTitle": "So sánh với niêm phong", "au.sealed": "Niêm phong kỳ trước", "au.now": "Hiện tại",
    "au.sealedAt": "Thời điểm niêm phong", "au.streams": "Số hồ sơ", "au.eventsCount": "Số sự kiện", "au.digest": "Mã tổng",
    "au.noSeal": "Không có tệp niêm phong: chỉ kiểm tra chuỗi băm hiện tại.",
    "au.findings": "Phát hiện", "au.downloadSeal": "Tải niêm phong hiện tại (lưu để kỳ sau so sánh)",
  },
  {
    "au.title": "Dossier history audit", "au.find": "Find a dossier", "au.code": "Dossier code", "au.open": "Open the timeline",
    "au.notAuditor": "Only auditors and administrators may use this page.",
    "au.stateAt": "State at the moment", "au.slider": "Slide to pick a moment (by trusted event)", "au.picker": "or type a moment", "au.show": "Show",
    "au.lastTrusted": "Last trusted state", "au.events": "Events",
    "au.event": "Event", "au.actor": "Actor", "au.agency": "Agency",
    "au.instant": "Instant", "au.hash": "Hash", "au.verified": "Verified", "au.verify": "Verify the whole event store",
    "au.verifyHint": "Checks every hash, link and head; with an earlier seal file, also that no sealed history was rewritten.",
    "au.seal": "Earlier seal file (optional)", "au.runVerify": "Verify everything", "au.ok": "✓ verifies", "au.bad": "✗ not trusted",
    "au.intact": "Hash chain intact: all {n} events verify.",
    "au.broken": "Hash chain broken from version {v}: what is stored no longer matches its hash. Events from version {v} on are not trusted; the last trusted state is after version {last}.",
    "au.technical": "Technical detail",
    "au.status": "Status", "au.appointment": "Appointment", "au.steps": "Steps", "au.upTo": "{n} event(s) up to this moment",
    "au.running": "Verifying…",
    "au.storeIntact": "Intact: {streams} dossiers, {events} events all verify.",
    "au.storeAltered": "ALTERED: {n} finding(s).",
    "au.sealTitle": "Comparison with the seal", "au.sealed": "Earlier seal", "au.now": "Now",
    "au.sealedAt": "Sealed at", "au.streams": "Dossiers", "au.eventsCount": "Events", "au.digest": "Digest",
    "au.noSeal": "No seal file: only the current hash chains were checked.",
    "au.findings": "Findings", "au.downloadSeal": "Download the current seal (keep it for next time)",
  },
);
apply(document);
bindSwitch(document.getElementById("lang") as HTMLButtonElement);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

interface AuditEvent { version: number; type: string; typeName: string; summary: string | null; user: string; agency: string; agencyName: string; at: string; hash: string; verified: boolean }
interface StepJson { id: string; name: string; status: string; dueAt: string | null; completedAt: string | null }
interface State { status: string; statusText: string; appointmentAt: string | null; steps: StepJson[] }
interface Timeline { dossierId: string; code: string | null; procedureName: string | null; chainIntact: boolean; firstBadVersion: number | null; problem: string | null; events: AuditEvent[]; state: State; eventsUpToAt: number; lastTrustedVersion: number; lastTrustedState: State }

let current: Timeline | null = null;
/** The distinct instants of the trusted events: the slider's stops. */
let stops: string[] = [];
let requestSeq = 0;

async function load(code: string, at?: string): Promise<Timeline | null> {
  const { data, response, error } = await api.GET("/api/audit/dossiers/{idOrCode}/timeline", { params: { path: { idOrCode: code }, query: { at } } });
  if (!response.ok) {
    $("status").textContent = problemText(response.status, error);
    $("status").className = "status-line error";
    return null;
  }
  return body<Timeline>(data);
}

function statusName(state: State): string {
  const key = "status." + state.status;
  return lang() === "en" && t(key) !== key ? t(key) : state.statusText;
}

function stateList(state: State, idPrefix: string): Node[] {
  return [
    el("dt", {}, t("au.status")), el("dd", { id: idPrefix + "-status", "data-status": state.status }, statusName(state)),
    el("dt", {}, t("au.appointment")), el("dd", {}, when(state.appointmentAt)),
    el("dt", {}, t("au.steps")), el("dd", {}, el("ul", { id: idPrefix + "-steps", class: "plain" },
      ...state.steps.map((s) => el("li", { "data-step": s.id, "data-status": s.status }, `${s.name}: ${t("step." + s.status)}`)))),
  ];
}

function renderState(state: State, upTo: number, at: string | null) {
  $("state").replaceChildren(...stateList(state, "state"));
  $("state").dataset.upTo = String(upTo);
  $("at").textContent = when(at);
  $("upto").textContent = t("au.upTo", { n: upTo });
  for (const row of document.querySelectorAll<HTMLTableRowElement>("#events tr")) {
    row.classList.toggle("later", !row.classList.contains("bad") && Number(row.dataset.position) >= upTo);
  }
}

function renderTimeline(tl: Timeline) {
  $("timeline-title").textContent = `${tl.code ?? tl.dossierId} — ${tl.procedureName ?? ""}`;
  const chain = $("chain");
  chain.className = tl.chainIntact ? "ok" : "error alarm";
  chain.dataset.intact = String(tl.chainIntact);
  chain.replaceChildren(tl.chainIntact
    ? t("au.intact", { n: tl.events.length })
    : t("au.broken", { v: tl.firstBadVersion ?? "?", last: tl.lastTrustedVersion }));
  // The store's own account of the break (hashes, what was compared) stays available, in its technical wording.
  if (!tl.chainIntact && tl.problem) chain.append(el("details", { class: "technical" }, el("summary", {}, t("au.technical")), el("code", {}, tl.problem)));
  $("events").replaceChildren(...tl.events.map((e, i) => el("tr", { "data-version": String(e.version), "data-position": String(i), class: e.verified ? "" : "bad" },
    el("td", {}, String(e.version)),
    el("td", {}, lang() === "en" ? t("event." + e.type) : e.typeName, e.summary ? el("div", { class: "muted" }, e.summary) : null),
    el("td", {}, e.user),
    el("td", {}, e.agencyName),
    el("td", {}, el("time", { datetime: e.at }, when(e.at))),
    el("td", {}, el("code", {}, e.hash)),
    el("td", { class: e.verified ? "ok" : "error" }, e.verified ? t("au.ok") : t("au.bad")))));
  const trustedBox = $("trusted-box");
  trustedBox.hidden = tl.chainIntact;
  if (!tl.chainIntact) $("trusted").replaceChildren(...stateList(tl.lastTrustedState, "trusted"));
}

async function open(code: string) {
  const tl = await load(code);
  if (!tl) return;
  current = tl;
  $("timeline").hidden = false;
  $("status").textContent = "";
  history.replaceState(null, "", "?code=" + encodeURIComponent(tl.code ?? tl.dossierId));
  stops = [...new Set(tl.events.filter((e) => e.verified).map((e) => e.at))];
  const slider = $<HTMLInputElement>("slider");
  slider.max = String(Math.max(stops.length - 1, 0));
  slider.value = slider.max;
  slider.disabled = stops.length < 2;
  renderTimeline(tl);
  const last = stops[stops.length - 1] ?? null;
  slider.setAttribute("aria-valuetext", when(last));
  $<HTMLInputElement>("at-input").value = last ? last.slice(0, 16) : "";
  renderState(tl.lastTrustedState, tl.events.filter((e) => e.verified).length, last);
}

/** Asks the server for the state at an instant; a slower earlier answer never overwrites a later one. */
async function showAt(at: string) {
  if (!current) return;
  const seq = ++requestSeq;
  $("at").textContent = when(at);
  const tl = await load(current.dossierId, at);
  if (!tl || seq !== requestSeq) return;
  renderState(tl.state, tl.eventsUpToAt, at);
}

function slide() {
  const at = stops[Number($<HTMLInputElement>("slider").value)];
  if (!at) return;
  $("slider").setAttribute("aria-valuetext", when(at));
  $<HTMLInputElement>("at-input").value = at.slice(0, 16);
  void showAt(at);
}

function pick() {
  const value = $<HTMLInputElement>("at-input").value;
  if (value) void showAt(value.length === 16 ? value + ":00+07:00" : value + "+07:00");
}

interface Report {
  intact: boolean; streams: number; events: number; digest: string;
  comparedWith: { sealedAt: string; streams: number; events: number; digest: string } | null;
  findings: { stream: string; version: number; kind: string; kindText: string; message: string }[]; seal: unknown;
}

async function verify() {
  const file = $<HTMLInputElement>("seal").files?.[0];
  const seal = file ? await file.text() : "";
  const out = $("verify-result");
  out.textContent = t("au.running");
  const button = $<HTMLButtonElement>("run-verify");
  button.disabled = true;
  try {
    // The body is the seal file as it was saved (raw JSON), so the typed client's serializer is not used.
    const response = await fetch("/api/audit/verify", { method: "POST", credentials: "same-origin", headers: { [csrfHeader]: "1", "Content-Type": "application/json" }, body: seal });
    const report = (await response.json()) as Report;
    if (!response.ok) {
      out.replaceChildren(el("p", { class: "error" }, problemText(response.status, report)));
      return;
    }
    const sealUrl = URL.createObjectURL(new Blob([JSON.stringify(report.seal, null, 2)], { type: "application/json" }));
    const c = report.comparedWith;
    const row = (label: string, then: string, now: string) => el("tr", {}, el("th", { scope: "row" }, label), el("td", {}, then), el("td", {}, now));
    out.replaceChildren(
      el("p", { class: report.intact ? "ok" : "error alarm", id: "verify-summary", "data-intact": String(report.intact) }, report.intact
        ? t("au.storeIntact", { streams: report.streams, events: report.events })
        : t("au.storeAltered", { n: report.findings.length })),
      c
        ? el("table", { class: "grid", id: "seal-comparison" },
          el("caption", {}, t("au.sealTitle")),
          el("thead", {}, el("tr", {}, el("td", {}), el("th", { scope: "col" }, t("au.sealed")), el("th", { scope: "col" }, t("au.now")))),
          el("tbody", {},
            row(t("au.sealedAt"), when(c.sealedAt), "—"),
            row(t("au.streams"), String(c.streams), String(report.streams)),
            row(t("au.eventsCount"), String(c.events), String(report.events)),
            row(t("au.digest"), c.digest.slice(0, 16) + "…", report.digest.slice(0, 16) + "…")))
        : el("p", { class: "muted" }, t("au.noSeal")),
      report.findings.length
        ? el("div", {}, el("h3", {}, t("au.findings")), el("ul", { id: "findings" }, ...report.findings.map((f) => el("li", { "data-kind": f.kind, "data-stream": f.stream },
          el("a", { href: "?code=" + encodeURIComponent(f.stream) }, f.stream), ` v${f.version}: ${f.kindText} — ${f.message}`))))
        : "",
      el("p", {}, el("a", { href: sealUrl, download: "seal.json", id: "download-seal" }, t("au.downloadSeal"))));
  } finally {
    button.disabled = false;
  }
}

$("find").addEventListener("submit", (e) => {
  e.preventDefault();
  void open($<HTMLInputElement>("code").value.trim());
});
$("slider").addEventListener("input", slide);
$("at-go").addEventListener("click", pick);
$("run-verify").addEventListener("click", () => void verify());
onLangChange(() => {
  if (current) void open(current.dossierId);
});

void mountSession($("sign-in-form") as HTMLFormElement, $("session-badge"), (s) => {
  $("work").hidden = false;
  const allowed = s.role === "auditor" || s.role === "admin";
  $("not-auditor").hidden = allowed;
  for (const section of document.querySelectorAll<HTMLElement>("main section")) section.hidden = !allowed || section.id === "timeline";
  const code = new URLSearchParams(location.search).get("code");
  if (allowed && code) {
    $<HTMLInputElement>("code").value = code;
    void open(code);
  }
}, () => {
  $("work").hidden = true;
});
