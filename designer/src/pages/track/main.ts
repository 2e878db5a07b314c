// The citizen's page: look a dossier up by its code (or open /track/{code} from the QR code on a letter) and see,
// in plain words, where it is and the date that fits its status; from the result slip's one-time link, rate it.
// /track/{code} arrives with the dossier's public data embedded by the server (one request on a phone).
import "../../lib/base.css";
import "./track.css";
import { api } from "../../lib/api";
import { apply, bindSwitch, day, extend, lang, onLangChange, t } from "../../lib/i18n";
import type { components } from "../../api/schema";
import { en, vi } from "./messages";

type Track = components["schemas"]["TrackInfo"];

extend(vi, en);
apply(document);
bindSwitch(document.getElementById("lang") as HTMLButtonElement);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const codeInput = $<HTMLInputElement>("code");
const message = $("message");
const result = $("result");
const rating = $("rating");
const params = new URLSearchParams(location.search);
const rateToken = params.get("rate");
const criteria = ["timeTaken", "contacts", "accuracy", "attitude"] as const;

let shown: Track | null = null;
let rated = false;
/** What the message line says, kept as key + params so a language switch re-says it. */
let said: { key: string; params: Record<string, string | number>; info: boolean } | null = null;

/** "09 giờ 00, ngày 06/05/2026" (or "06/05/2026 09:00") from the API's local ISO time (+07:00). */
function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const hh = iso.slice(11, 13), mm = iso.slice(14, 16);
  return lang() === "vi" ? `${hh} giờ ${mm}, ngày ${day(iso)}` : `${day(iso)} ${hh}:${mm}`;
}

function say(key: string | null, params: Record<string, string | number> = {}, info = false) {
  said = key ? { key, params, info } : null;
  message.hidden = !key;
  message.classList.toggle("info", info);
  message.setAttribute("role", info ? "status" : "alert");
  message.textContent = key ? t(key, params) : "";
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function fact(label: string, value: string, id?: string): HTMLElement {
  const dd = el("dd", {}, value);
  if (id) dd.id = id;
  return el("div", {}, el("dt", {}, label), dd);
}

const statusClass = (s: string) =>
  s === "returned" || s === "resultReady" ? "done" : s === "refused" || s === "withdrawn" || s === "closed" ? "stop" : s === "awaitingSupplement" ? "wait" : "";

const statusWords: Record<string, [string, string]> = {
  submitted: ["Chờ tiếp nhận", "Waiting to be received"],
  received: ["Đã tiếp nhận", "Received"],
  inProgress: ["Đang giải quyết", "In progress"],
  awaitingSupplement: ["Chờ bổ sung hồ sơ", "Waiting for documents"],
  resultReady: ["Đã có kết quả, chờ trả", "Result ready to collect"],
  returned: ["Đã trả kết quả", "Result returned"],
  refused: ["Từ chối giải quyết", "Refused"],
  withdrawn: ["Đã rút hồ sơ", "Withdrawn"],
  closed: ["Dừng giải quyết", "Closed"],
};

function render(track: Track) {
  shown = track;
  const words = statusWords[track.status];
  const badge = el("span", { className: `status ${statusClass(track.status)}`, id: "status" }, words ? words[lang() === "vi" ? 0 : 1] : track.statusText);
  const facts = el("dl", { className: "facts" });
  facts.append(fact(t("track.procedure"), track.procedureName ?? track.procedureCode ?? "—", "procedure"));
  if (track.receivingAgency) facts.append(fact(t("track.agency"), track.receivingAgency, "agency"));
  if (track.receivedAt) facts.append(fact(t("track.received"), when(track.receivedAt), "received"));

  // The one date that fits the status.
  switch (track.status) {
    case "returned":
      facts.append(fact(t("track.returnedOn"), when(track.returnedAt), "date"));
      break;
    case "resultReady":
      facts.append(fact(t("track.readyOn"), when(track.resultReadyAt), "date"));
      break;
    case "refused":
      facts.append(fact(t("track.refusedOn"), when(track.refusedAt), "date"));
      facts.append(fact(t("track.refusalReason"), track.refusalReason ?? "—", "reason"));
      break;
    case "withdrawn":
      facts.append(fact(t("track.withdrawnOn"), when(track.finishedAt), "date"));
      break;
    case "closed":
      facts.append(fact(t("track.closedOn"), when(track.finishedAt), "date"));
      break;
    case "awaitingSupplement":
      if (track.supplement) facts.append(fact(t("track.supplementBy"), when(track.supplement.closesAt), "date"));
      break;
    default:
      if (track.appointmentAt) facts.append(fact(t(track.apology ? "track.newAppointment" : "track.appointment"), when(track.appointmentAt), "date"));
  }

  const stage = el("div", { className: "stage", id: "stage" });
  const line = (text: string) => stage.append(el("p", {}, text));
  switch (track.status) {
    case "inProgress":
    case "received":
      if (track.currentSteps.length === 0) line(t("track.stage.received"));
      else stage.append(el("ul", {}, ...track.currentSteps.map((s) => el("li", {}, t("track.stage.at", { step: s.name, agency: s.agencyName })))));
      break;
    case "awaitingSupplement":
      line(t("track.stage.awaitingSupplement"));
      if (track.supplement) {
        line(t("track.stage.supplementReason", { reason: track.supplement.reason }));
        if (track.supplement.documents.length) line(t("track.stage.supplementDocs", { documents: track.supplement.documents.join("; ") }));
      }
      break;
    case "resultReady":
      line(t("track.stage.resultReady", { agency: track.receivingAgency ?? "" }));
      break;
    default:
      if (`track.stage.${track.status}` in vi) line(t(`track.stage.${track.status}`));
  }

  const notices: HTMLElement[] = [];
  const open = !["returned", "refused", "withdrawn", "closed"].includes(track.status);
  if (track.apology && open) {
    notices.push(el("p", { className: "notice", id: "apology" }, t("track.apology", { agency: track.apology.agencyName, previous: when(track.apology.previousAppointmentAt) })));
  }
  if (track.overdue && open) notices.push(el("p", { className: "notice bad", id: "overdue" }, t("track.overdue")));

  result.replaceChildren(el("h2", { id: "result-title" }, t("track.code", { code: track.dossierCode })), badge, stage, facts, ...notices);
  result.hidden = false;
  renderRating();
}

function renderRating() {
  if (!shown || !rateToken) {
    rating.hidden = true;
    return;
  }

  rating.hidden = false;
  const title = el("h2", { id: "rating-title" }, t("rate.title"));
  if (rated) {
    rating.replaceChildren(title, el("p", { className: "thanks", id: "rating-done", role: "status" } as Partial<HTMLParagraphElement>, t("rate.thanks")));
    return;
  }
  if (shown.evaluated) {
    rating.replaceChildren(title, el("p", { className: "notice", id: "rating-closed" }, t("rate.already")));
    return;
  }
  if (shown.status !== "returned") {
    rating.replaceChildren(title, el("p", { className: "hint" }, t("rate.notYet")));
    return;
  }

  const form = el("form", { id: "rating-form", noValidate: true });
  form.append(el("p", {}, t("rate.intro")));
  for (const c of criteria) {
    const set = el("fieldset", {}, el("legend", {}, t(`rate.${c}`)));
    const scale = el("div", { className: "scale" });
    for (let level = 1; level <= 5; level++) {
      const id = `${c}-${level}`;
      const input = el("input", { type: "radio", name: c, value: String(level), id });
      const label = el("label", { htmlFor: id }, el("b", {}, String(level)), t(`rate.${level}`));
      scale.append(input, label);
    }
    set.append(scale);
    form.append(set);
  }
  const comment = el("textarea", { id: "comment", name: "comment", maxLength: 1000 });
  form.append(el("label", { htmlFor: "comment" }, t("rate.comment")), comment);
  const error = el("p", { className: "error", id: "rating-error", role: "alert" } as Partial<HTMLParagraphElement>);
  form.append(el("div", { className: "actions" }, el("button", { type: "submit", className: "primary", id: "send-rating" }, t("rate.send"))), error);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void sendRating(form, error);
  });
  form.addEventListener("change", () => {
    error.textContent = "";
  });
  rating.replaceChildren(title, form);
}

async function sendRating(form: HTMLFormElement, error: HTMLElement) {
  const data = new FormData(form);
  const missing = criteria.filter((c) => !data.get(c));
  if (missing.length) {
    error.textContent = t("rate.missing", { criteria: missing.map((c) => t(`rate.${c}`)).join("; ") });
    return;
  }
  const score = (c: string) => Number(data.get(c));
  const button = form.querySelector("button")!;
  button.disabled = true;
  try {
    const { response, error: problem } = await api.POST("/api/track/{code}/rating", {
      params: { path: { code: shown!.dossierCode } },
      body: { token: rateToken, timeTaken: score("timeTaken"), contacts: score("contacts"), accuracy: score("accuracy"), attitude: score("attitude"), comment: String(data.get("comment") ?? "").trim() || null },
    });
    if (response.ok) {
      rated = true;
      shown = { ...shown!, evaluated: true };
      renderRating();
      return;
    }
    const p = (problem ?? {}) as { code?: string; detail?: string };
    if (response.status === 422 && p.code === "already-evaluated") {
      shown = { ...shown!, evaluated: true };
      renderRating();
      return;
    }
    error.textContent = response.status === 403 ? t("rate.wrongLink") : response.status === 429 ? t("track.tooMany") : p.detail ?? t("track.error", { status: response.status });
  } catch {
    error.textContent = t("track.network");
  } finally {
    button.disabled = false;
  }
}

async function lookUp(code: string, push: boolean) {
  code = code.trim();
  if (!code) {
    say("track.empty");
    return;
  }
  say("track.loading", {}, true);
  result.hidden = true;
  rating.hidden = true;
  try {
    const { data, response } = await api.GET("/api/track/{dossierCode}", { params: { path: { dossierCode: code } } });
    if (push && !rateToken) history.pushState({ code }, "", `/track/${encodeURIComponent(code)}`);
    if (response.ok && data) {
      say(null);
      render(data);
    } else if (response.status === 404) {
      shown = null;
      say("track.notFound", { code });
    } else {
      say(response.status === 429 ? "track.tooMany" : "track.error", { status: response.status });
    }
  } catch {
    say("track.network");
  }
}

$("lookup").addEventListener("submit", (event) => {
  event.preventDefault();
  void lookUp(codeInput.value, true);
});
window.addEventListener("popstate", () => {
  const m = /^\/track\/(.+)$/.exec(location.pathname);
  if (m) {
    codeInput.value = decodeURIComponent(m[1]);
    void lookUp(codeInput.value, false);
  }
});
onLangChange(() => {
  if (shown) render(shown);
  if (said) say(said.key, said.params, said.info);
});

// Start: the data the server embedded in /track/{code}, or ?code= (the result slip's rating link), or the empty box.
const embedded = document.getElementById("track-data");
if (embedded?.textContent) {
  const { code, track } = JSON.parse(embedded.textContent) as { code: string; track: Track | null };
  codeInput.value = code;
  if (track) render(track);
  else say("track.notFound", { code });
} else if (params.get("code")) {
  codeInput.value = params.get("code")!;
  void lookUp(codeInput.value, false);
} else {
  codeInput.focus();
}
