// The auditor's page: a dossier's events with their hashes and whether each verifies, a slider that shows the
// state at any instant (the server folds the trusted events with the decider, as `replay --at` does), a tampered
// dossier's first bad version and last trusted state, and the store-wide verification against a seal file.
import "../../lib/base.css";
import "../../lib/workspace.css";
import { api, problemText } from "../../lib/api";
import { apply, bindSwitch, extend, t } from "../../lib/i18n";
import { mountSession } from "../../lib/session";
import { body, el, when } from "../../lib/ws";

extend(
  {
    "au.title": "Kiểm soát lịch sử hồ sơ", "au.find": "Tra cứu hồ sơ", "au.code": "Mã hồ sơ", "au.open": "Mở dòng thời gian",
    "au.slider": "Trạng thái tại thời điểm", "au.event": "Sự kiện", "au.actor": "Người thực hiện", "au.agency": "Cơ quan",
    "au.instant": "Thời điểm", "au.hash": "Mã băm", "au.verified": "Xác minh", "au.verify": "Kiểm tra toàn bộ kho sự kiện",
    "au.seal": "Tệp niêm phong kỳ trước (không bắt buộc)", "au.runVerify": "Kiểm tra", "au.ok": "Hợp lệ", "au.bad": "Không tin cậy",
    "au.intact": "Chuỗi băm toàn vẹn: {n} sự kiện đều xác minh được.",
    "au.broken": "Chuỗi băm bị phá vỡ tại phiên bản {v}: {problem}. Trạng thái tin cậy cuối cùng là sau phiên bản {last}.",
    "au.state": "Trạng thái", "au.appointment": "Hẹn trả", "au.steps": "Các bước", "au.events": "{n} sự kiện đầu",
    "au.storeIntact": "Toàn vẹn: {streams} hồ sơ, {events} sự kiện. Mã tổng: {digest}",
    "au.storeAltered": "PHÁT HIỆN SỬA ĐỔI: {n} phát hiện trong {streams} hồ sơ.", "au.comparedWith": "Đã so với niêm phong lúc {at} ({streams} hồ sơ).",
    "au.downloadSeal": "Tải niêm phong hiện tại",
  },
  {
    "au.title": "Dossier history audit", "au.find": "Find a dossier", "au.code": "Dossier code", "au.open": "Open the timeline",
    "au.slider": "State at the moment", "au.event": "Event", "au.actor": "Actor", "au.agency": "Agency",
    "au.instant": "Instant", "au.hash": "Hash", "au.verified": "Verified", "au.verify": "Verify the whole event store",
    "au.seal": "Earlier seal file (optional)", "au.runVerify": "Verify", "au.ok": "Verified", "au.bad": "Not trusted",
    "au.intact": "Hash chain intact: all {n} events verify.",
    "au.broken": "Hash chain broken at version {v}: {problem}. The last trusted state is after version {last}.",
    "au.state": "Status", "au.appointment": "Appointment", "au.steps": "Steps", "au.events": "first {n} events",
    "au.storeIntact": "Intact: {streams} dossiers, {events} events. Digest: {digest}",
    "au.storeAltered": "ALTERED: {n} finding(s) in {streams} dossiers.", "au.comparedWith": "Compared with the seal of {at} ({streams} dossiers).",
    "au.downloadSeal": "Download the current seal",
  },
);
apply(document);
bindSwitch(document.getElementById("lang") as HTMLButtonElement);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

interface Event { version: number; type: string; typeName: string; summary: string | null; user: string; agency: string; agencyName: string; at: string; hash: string; verified: boolean }
interface State { status: string; statusText: string; appointmentAt: string | null; steps: { id: string; name: string; status: string; dueAt: string | null }[] }
interface Timeline { dossierId: string; code: string | null; procedureName: string | null; chainIntact: boolean; firstBadVersion: number | null; problem: string | null; events: Event[]; state: State; eventsUpToAt: number; lastTrustedVersion: number; lastTrustedState: State }

let current: Timeline | null = null;

async function load(code: string, at?: string) {
  const { data, response, error } = await api.GET("/api/audit/dossiers/{idOrCode}/timeline", { params: { path: { idOrCode: code }, query: { at } } });
  if (!response.ok) { $("status").textContent = problemText(response.status, error); return null; }
  return body<Timeline>(data);
}

function renderState(state: State, upTo: number) {
  $("state").replaceChildren(
    el("dt", {}, t("au.state")), el("dd", { id: "state-status" }, state.statusText),
    el("dt", {}, t("au.appointment")), el("dd", {}, when(state.appointmentAt)),
    el("dt", {}, t("au.steps")), el("dd", { id: "state-steps" }, state.steps.map((s) => `${s.name}: ${s.status}`).join("; ") || "—"),
    el("dt", {}, "#"), el("dd", {}, t("au.events", { n: upTo })));
  for (const row of document.querySelectorAll<HTMLTableRowElement>("#events tr")) row.style.opacity = Number(row.dataset.version) <= upTo ? "1" : "0.45";
}

async function open(code: string) {
  const tl = await load(code);
  if (!tl) return;
  current = tl;
  $("timeline").hidden = false;
  $("status").textContent = "";
  $("timeline-title").textContent = `${tl.code ?? tl.dossierId} — ${tl.procedureName ?? ""}`;
  const chain = $("chain");
  chain.className = tl.chainIntact ? "ok" : "error";
  chain.textContent = tl.chainIntact ? t("au.intact", { n: tl.events.length }) : t("au.broken", { v: tl.firstBadVersion ?? "?", problem: tl.problem ?? "", last: tl.lastTrustedVersion });
  $("events").replaceChildren(...tl.events.map((e) => el("tr", { "data-version": String(e.version), class: e.verified ? "" : "error" },
    el("td", {}, String(e.version)), el("td", {}, e.typeName, e.summary ? el("div", { class: "muted" }, e.summary) : null), el("td", {}, e.user),
    el("td", {}, e.agencyName), el("td", {}, when(e.at)), el("td", {}, el("code", {}, e.hash)), el("td", {}, e.verified ? t("au.ok") : t("au.bad")))));
  const slider = $("slider") as HTMLInputElement;
  const trusted = tl.events.filter((e) => e.verified);
  slider.max = String(Math.max(trusted.length - 1, 0));
  slider.value = slider.max;
  slider.setAttribute("aria-valuetext", trusted.length ? when(trusted[trusted.length - 1].at) : "");
  $("at").textContent = trusted.length ? when(trusted[trusted.length - 1].at) : "—";
  renderState(tl.lastTrustedState, tl.lastTrustedVersion);
}

async function slide() {
  if (!current) return;
  const trusted = current.events.filter((e) => e.verified);
  const event = trusted[Number(($("slider") as HTMLInputElement).value)];
  if (!event) return;
  $("at").textContent = when(event.at);
  ($("slider") as HTMLInputElement).setAttribute("aria-valuetext", when(event.at));
  const tl = await load(current.dossierId, event.at);
  if (tl) renderState(tl.state, tl.eventsUpToAt);
}

async function verify() {
  const file = ($("seal") as HTMLInputElement).files?.[0];
  const seal = file ? await file.text() : undefined;
  $("verify-result").textContent = "…";
  const response = await fetch("/api/audit/verify", { method: "POST", credentials: "same-origin", headers: { "X-PE-CSRF": "1", "Content-Type": "application/json" }, body: seal ?? "" });
  const report = await response.json() as { intact: boolean; streams: number; events: number; digest: string; comparedWith: { sealedAt: string; streams: number } | null; findings: { stream: string; version: number; kindText: string; message: string }[]; seal: unknown };
  if (!response.ok) { $("verify-result").textContent = problemText(response.status, report); return; }
  const link = el("a", { href: URL.createObjectURL(new Blob([JSON.stringify(report.seal, null, 2)], { type: "application/json" })), download: "seal.json" }, t("au.downloadSeal"));
  $("verify-result").replaceChildren(
    el("p", { class: report.intact ? "ok" : "error", id: "verify-summary" }, report.intact
      ? t("au.storeIntact", { streams: report.streams, events: report.events, digest: report.digest.slice(0, 16) })
      : t("au.storeAltered", { n: report.findings.length, streams: report.streams })),
    report.comparedWith ? el("p", {}, t("au.comparedWith", { at: report.comparedWith.sealedAt, streams: report.comparedWith.streams })) : null,
    el("ul", {}, ...report.findings.map((f) => el("li", {}, `${f.stream} v${f.version}: ${f.kindText} — ${f.message}`))),
    link);
}

$("find").addEventListener("submit", (e) => { e.preventDefault(); void open(($("code") as HTMLInputElement).value.trim()); });
$("slider").addEventListener("input", () => void slide());
$("run-verify").addEventListener("click", () => void verify());

void mountSession($("sign-in-form") as HTMLFormElement, $("session-badge"), () => {
  $("work").hidden = false;
  const code = new URLSearchParams(location.search).get("code");
  if (code) { ($("code") as HTMLInputElement).value = code; void open(code); }
}, () => { $("work").hidden = true; });
