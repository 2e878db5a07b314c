// The calendar page: an administrator edits the working calendar file (a day off declared by decision, a swap,
// a statutory rule), sees which days change and which open dossiers would be re-planned (POST /api/calendars/diff,
// nothing written), and publishes it (POST /api/calendars/publish) after confirming.
import "../../lib/base.css";
import "./calendar.css";
import { api, asYaml, problemText } from "../../lib/api";
import { apply, bindSwitch, day, extend, t } from "../../lib/i18n";
import { mountSession, type Session } from "../../lib/session";
import { when } from "../../lib/ws";
import { vi, en } from "./messages";

extend(vi, en);
apply(document);
bindSwitch(document.getElementById("lang") as HTMLButtonElement);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const text = $<HTMLTextAreaElement>("calendar-text");
const select = $<HTMLSelectElement>("calendar-id");
const status = $("status");

interface DayChange { date: string; working: boolean; reason?: string | null }
interface StepChange { step: string; previousDueAt?: string | null; dueAt: string }
interface DossierChange { id: string; code?: string | null; changedDays: string[]; previousAppointmentAt: string; appointmentAt: string; steps: StepChange[] }
interface Publication {
  calendar: string; previousVersion?: number | null; version?: number | null; published: boolean;
  days: DayChange[]; settings: string[]; candidates: number; replanned: number; appointmentsMoved: number; dossiers: DossierChange[];
}
interface LocatedProblem { line?: number; column?: number; code?: string; message?: string }

let session: Session | null = null;

const say = (message: string, ok = false) => {
  status.textContent = message;
  status.className = ok ? "ok" : "";
};

async function loadCalendars(): Promise<void> {
  const { data, response } = await api.GET("/api/calendars");
  if (!response.ok || !data) {
    say(problemText(response.status, data));
    return;
  }

  select.replaceChildren(...(data as Array<{ id: string; version?: number | null }>).map((c) => new Option(c.id, c.id)));
  await openCalendar(select.value);
}

async function openCalendar(id: string): Promise<void> {
  if (!id) return;
  const { data, error, response } = await api.GET("/api/calendars/{id}", { params: { path: { id } } });
  if (!response.ok || !data) {
    say(problemText(response.status, error));
    return;
  }

  text.value = data.yaml;
  $("published-version").textContent = t("calendar.version", { version: data.version ?? "–" });
  show(null);
  say("");
}

function show(result: Publication | null): void {
  const days = $("days").querySelector("tbody")!;
  const dossiers = $("dossiers").querySelector("tbody")!;
  days.replaceChildren();
  dossiers.replaceChildren();
  $("summary").textContent = "";
  if (!result) return;
  $("summary").textContent = t(result.published ? "calendar.summaryPublished" : "calendar.summary", {
    days: result.days.length, candidates: result.candidates, replanned: result.replanned, moved: result.appointmentsMoved,
  });
  for (const d of result.days) {
    const row = days.insertRow();
    row.insertCell().textContent = day(d.date);
    const becomes = row.insertCell();
    becomes.textContent = t(d.working ? "calendar.working" : "calendar.off");
    becomes.className = d.working ? "on" : "off";
    row.insertCell().textContent = d.reason ?? "";
  }

  for (const d of result.dossiers) {
    const row = dossiers.insertRow();
    const cell = row.insertCell();
    const link = document.createElement("a");
    link.href = `/api/dossiers/${encodeURIComponent(d.code ?? d.id)}`;
    link.textContent = d.code ?? d.id;
    cell.append(link);
    row.insertCell().textContent = when(d.previousAppointmentAt);
    row.insertCell().textContent = when(d.appointmentAt);
    row.insertCell().textContent = d.steps.map((s) => `${s.step}: ${when(s.previousDueAt)} → ${when(s.dueAt)}`).join("; ");
  }
}

function showProblems(body: unknown): void {
  const list = $("problems");
  list.replaceChildren();
  const problems = ((body ?? {}) as { problems?: LocatedProblem[] }).problems ?? [];
  for (const p of problems) {
    const item = document.createElement("li");
    item.textContent = t("calendar.problem", { line: p.line ?? "?", column: p.column ?? "?", code: p.code ?? "", message: p.message ?? "" });
    list.append(item);
  }
}

async function run(publish: boolean): Promise<Publication | null> {
  showProblems(null);
  const path = publish ? "/api/calendars/publish" : "/api/calendars/diff";
  const { data, error, response } = await api.POST(path, asYaml(text.value));
  if (!response.ok) {
    say(problemText(response.status, error));
    showProblems(error);
    return null;
  }

  const result = data as unknown as Publication;
  show(result);
  return result;
}

$("diff").addEventListener("click", async () => {
  say(t("calendar.checking"));
  const result = await run(false);
  if (result) say(t("calendar.previewed"), true);
});

$("publish").addEventListener("click", async () => {
  say(t("calendar.checking"));
  const preview = await run(false);
  if (!preview) return;
  $("confirm-text").textContent = t("calendar.confirmText", {
    version: preview.version ?? "–", days: preview.days.length, replanned: preview.replanned, moved: preview.appointmentsMoved,
  });
  const dialog = $<HTMLDialogElement>("confirm");
  dialog.showModal();
  say("");
});

$("confirm-cancel").addEventListener("click", () => $<HTMLDialogElement>("confirm").close());
$("confirm-ok").addEventListener("click", async () => {
  $<HTMLDialogElement>("confirm").close();
  const result = await run(true);
  if (result) {
    say(t("calendar.published", { version: result.version ?? "–", replanned: result.replanned }), true);
    $("published-version").textContent = t("calendar.version", { version: result.version ?? "–" });
  }
});

select.addEventListener("change", () => void openCalendar(select.value));

void mountSession($("sign-in-form") as HTMLFormElement, $("session-badge"), async (s) => {
  session = s;
  $("calendar").hidden = false;
  $<HTMLButtonElement>("publish").hidden = session.role !== "admin";
  $<HTMLButtonElement>("diff").hidden = session.role !== "admin";
  await loadCalendars();
  if (session.role !== "admin") say(t("calendar.readOnly"));
}, () => {
  session = null;
  $("calendar").hidden = true;
});
