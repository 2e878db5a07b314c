// The supervisors' dashboard: GET /api/dashboard over a chosen period, drawn as ECharts (bundled, SVG renderer) with
// the same numbers in tables beside each chart (the accessible reading of the chart, and what the export holds).
import "../../lib/base.css";
import "./dashboard.css";
import { api, problemText } from "../../lib/api";
import { apply, bindSwitch, day, extend, lang, onLangChange, t } from "../../lib/i18n";
import { mountSession } from "../../lib/session";
import { when } from "../../lib/ws";
import type { components } from "../../api/schema";
import { en, indicatorsEn, vi } from "./messages";
import { draw, setNumberFormat, type ChartSpec } from "./charts";

type Dashboard = components["schemas"]["DashboardData"];
type OnTimeRow = components["schemas"]["OnTimeNamedRow"];
type Item = components["schemas"]["WorklistItem"];

extend(vi, en);
apply(document);
bindSwitch(document.getElementById("lang") as HTMLButtonElement);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const fromInput = $<HTMLInputElement>("from");
const toInput = $<HTMLInputElement>("to");
let data: Dashboard | null = null;

const num = (v: number | string | null | undefined): number | null => (v === null || v === undefined || v === "" ? null : Number(v));

/** A number as the page shows it: Vietnamese decimal comma, thousands with a dot (English: the other way round). */
export function fmt(v: number | string | null | undefined, digits = 1): string {
  const n = num(v);
  if (n === null || Number.isNaN(n)) return "—";
  return n.toLocaleString(lang() === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: digits });
}

setNumberFormat((v) => fmt(v, 2));

const statusEn: Record<string, string> = {
  submitted: "Submitted online", received: "Received", inProgress: "In progress", awaitingSupplement: "Waiting for documents", resultReady: "Result ready",
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

interface Column<T> { head: string; value: (row: T) => string; numeric?: boolean; cls?: (row: T) => string }

/** A table of rows with a caption for screen readers; each row carries its key as data-key (what the tests match on). */
function table<T>(holder: string, caption: string, columns: Column<T>[], rows: T[], key: (row: T) => string) {
  const wrap = $(holder);
  if (rows.length === 0) {
    wrap.replaceChildren(el("p", { className: "empty" }, t("dash.noData")));
    return;
  }
  const head = el("tr", {}, ...columns.map((c) => el("th", { scope: "col", className: c.numeric ? "n" : "" }, c.head)));
  const body = rows.map((row) => {
    const tr = el("tr", {}, ...columns.map((c) => el("td", { className: `${c.numeric ? "n" : ""} ${c.cls?.(row) ?? ""}`.trim() }, c.value(row))));
    tr.dataset.key = key(row);
    return tr;
  });
  wrap.replaceChildren(el("table", {}, el("caption", { className: "visually-hidden" }, caption), el("thead", {}, head), el("tbody", {}, ...body)));
  wrap.tabIndex = wrap.scrollHeight > wrap.clientHeight ? 0 : -1;
}

function onTimeTable(holder: string, caption: string, nameHead: string, rows: OnTimeRow[], steps: boolean) {
  table<OnTimeRow>(holder, caption, [
    { head: nameHead, value: (r) => r.name || r.group },
    { head: t(steps ? "col.steps" : "col.finished"), value: (r) => fmt(r.finished, 0), numeric: true },
    { head: t(steps ? "col.stepsOnTime" : "col.onTime"), value: (r) => fmt(r.onTime, 0), numeric: true },
    { head: t(steps ? "col.stepsLate" : "col.late"), value: (r) => fmt(r.late, 0), numeric: true, cls: (r) => (num(r.late)! > 0 ? "late" : "") },
    ...(steps ? [] : [
      { head: t("col.refused"), value: (r: OnTimeRow) => fmt(r.refused, 0), numeric: true },
      { head: t("col.stopped"), value: (r: OnTimeRow) => fmt(r.stopped, 0), numeric: true },
    ]),
    { head: t("col.rate"), value: (r) => `${fmt(r.onTimeRate)} %`, numeric: true },
  ], rows, (r) => r.group);
}

function itemsTable(holder: string, caption: string, items: Item[]) {
  table<Item>(holder, caption, [
    { head: t("col.dossier"), value: (i) => i.code ?? i.dossierId },
    { head: t("col.procedure"), value: (i) => i.procedureName ?? i.procedureCode ?? "" },
    { head: t("col.work"), value: (i) => i.workName },
    { head: t("col.agency"), value: (i) => i.agencyName },
    { head: t("col.due"), value: (i) => when(i.dueAt), cls: (i) => (i.badges.includes("overdue") ? "late" : "") },
  ], items, (i) => `${i.dossierId}/${i.work}`);
}

function kpis(d: Dashboard) {
  const cards: HTMLElement[] = [];
  for (const i of d.indicators) {
    const english = lang() === "en" ? indicatorsEn[i.id] : undefined;
    const name = english?.name ?? i.name;
    const formula = english?.formula ?? i.formula;
    const tipId = `formula-${i.id}`;
    const tip = el("span", { className: "tip" },
      el("button", { type: "button", className: "quiet" }, "?"),
      el("span", { role: "tooltip", id: tipId } as Partial<HTMLSpanElement>, formula));
    const button = tip.querySelector("button")!;
    button.setAttribute("aria-describedby", tipId);
    button.setAttribute("aria-label", t("dash.formula", { name }));
    const card = el("div", { className: "kpi", id: `kpi-${i.id}` },
      el("div", { className: "name" }, el("span", {}, name), tip),
      el("div", { className: "value" }, i.value === null ? "—" : `${fmt(i.value)} %`),
      el("div", { className: "of" }, t("dash.of", { numerator: fmt(i.numerator, 0), denominator: fmt(i.denominator, 0) })));
    cards.push(card);
  }
  const simple = (id: string, name: string, value: string, of = "") =>
    el("div", { className: "kpi", id }, el("div", { className: "name" }, el("span", {}, name)), el("div", { className: "value" }, value), el("div", { className: "of" }, of));
  const open = d.openByStatus.reduce((s, r) => s + Number(r.count), 0);
  const overdue = d.openByAgency.reduce((s, r) => s + Number(r.overdue), 0);
  cards.push(simple("kpi-open", t("dash.kpi.open"), fmt(open, 0)));
  cards.push(simple("kpi-overdue", t("dash.kpi.overdue"), fmt(overdue, 0)));
  cards.push(simple("kpi-apologies", t("dash.kpi.apologies"), fmt(d.apologies, 0)));
  cards.push(simple("kpi-satisfaction", t("dash.kpi.satisfaction"), d.satisfaction.average === null ? "—" : `${fmt(d.satisfaction.average, 2)} / 5`, t("dash.kpi.ratings", { n: fmt(d.satisfaction.ratings, 0) })));
  $("kpis").replaceChildren(...cards);
}

function render(d: Dashboard) {
  kpis(d);
  const rateChart = (rows: OnTimeRow[]): ChartSpec => ({
    kind: "bar", horizontal: true, percent: true,
    categories: rows.map((r) => r.name || r.group),
    series: [{ name: t("series.rate"), values: rows.map((r) => num(r.onTimeRate) ?? 0), color: "#1b6b2c" }],
  });
  draw("chart-agency", rateChart(d.onTimeByAgency));
  draw("chart-field", rateChart(d.onTimeByField));
  draw("chart-procedure", rateChart(d.onTimeByProcedure));
  onTimeTable("table-agency", t("dash.onTimeAgency"), t("col.agency"), d.onTimeByAgency, true);
  onTimeTable("table-field", t("dash.onTimeField"), t("col.field"), d.onTimeByField, false);
  onTimeTable("table-procedure", t("dash.onTimeProcedure"), t("col.procedure"), d.onTimeByProcedure, false);

  const statusName = (r: { key: string; name: string }) => (lang() === "en" ? statusEn[r.key] ?? r.key : r.name);
  draw("chart-status", { kind: "bar", horizontal: true, categories: d.openByStatus.map(statusName), series: [{ name: t("series.count"), values: d.openByStatus.map((r) => Number(r.count)), color: "#17326b" }] });
  table("table-status", t("dash.openByStatus"), [
    { head: t("col.status"), value: statusName },
    { head: t("col.count"), value: (r) => fmt(r.count, 0), numeric: true },
  ], d.openByStatus, (r) => r.key);

  draw("chart-load", {
    kind: "bar", horizontal: true, stacked: true, categories: d.openByAgency.map((r) => r.name),
    series: [
      { name: t("series.overdue"), values: d.openByAgency.map((r) => Number(r.overdue)), color: "#b00020" },
      { name: t("series.atRisk"), values: d.openByAgency.map((r) => Number(r.atRisk)), color: "#c98a00" },
      { name: t("series.waiting"), values: d.openByAgency.map((r) => Number(r.waiting) - Number(r.overdue) - Number(r.atRisk)), color: "#5b7bb5" },
    ],
  });
  table("table-load", t("dash.openByAgency"), [
    { head: t("col.agency"), value: (r) => r.name },
    { head: t("col.waiting"), value: (r) => fmt(r.waiting, 0), numeric: true },
    { head: t("col.overdue"), value: (r) => fmt(r.overdue, 0), numeric: true, cls: (r) => (Number(r.overdue) > 0 ? "late" : "") },
    { head: t("col.atRisk"), value: (r) => fmt(r.atRisk, 0), numeric: true },
  ], d.openByAgency, (r) => r.agency);

  draw("chart-time", {
    kind: "bar", horizontal: true, categories: d.processingTime.map((r) => r.name),
    series: [
      { name: t("series.average"), values: d.processingTime.map((r) => num(r.averageWorkingDays) ?? 0), color: "#a31d24" },
      { name: t("series.legal"), values: d.processingTime.map((r) => num(r.averageLegalWorkingDays) ?? 0), color: "#8a93a6" },
    ],
  });
  table("table-time", t("dash.processing"), [
    { head: t("col.procedure"), value: (r) => r.name },
    { head: t("col.returned"), value: (r) => fmt(r.returned, 0), numeric: true },
    { head: t("col.average"), value: (r) => fmt(r.averageWorkingDays), numeric: true, cls: (r) => (num(r.ratio)! > 1 ? "late" : "") },
    { head: t("col.legal"), value: (r) => fmt(r.averageLegalWorkingDays), numeric: true },
    { head: t("col.ratio"), value: (r) => fmt(r.ratio, 2), numeric: true },
  ], d.processingTime, (r) => r.procedure);

  const s = d.satisfaction;
  const criteria = (["average", "timeTaken", "contacts", "accuracy", "attitude"] as const).map((k) => ({ key: k, score: num(s[k]) }));
  draw("chart-satisfaction", { kind: "bar", max: 5, categories: criteria.map((c) => t(`crit.${c.key}`)), series: [{ name: t("series.score"), values: criteria.map((c) => c.score ?? 0), color: "#1a5fb4" }] });
  table("table-satisfaction", t("dash.satisfaction"), [
    { head: t("col.criterion"), value: (c) => t(`crit.${c.key}`) },
    { head: t("col.score"), value: (c) => fmt(c.score, 2), numeric: true },
  ], Number(s.ratings) > 0 ? criteria : [], (c) => c.key);

  table("table-apologies", t("dash.apologies"), [
    { head: t("col.agency"), value: (r) => r.name || r.key },
    { head: t("col.letters"), value: (r) => fmt(r.count, 0), numeric: true },
  ], d.apologiesByAgency, (r) => r.key);
  itemsTable("table-overdue", t("dash.overdueList"), d.overdue);
  itemsTable("table-risk", t("dash.atRiskList"), d.atRisk);
}

function exportLinks(from: string, to: string) {
  for (const format of ["csv", "xlsx"]) {
    $<HTMLAnchorElement>(`export-${format}`).href = `/api/dashboard/export?from=${from}&to=${to}&format=${format}`;
  }
}

async function load(from?: string, to?: string) {
  $("error").textContent = "";
  $("state").textContent = t("dash.loading");
  const query = from && to ? { from, to } : {};
  try {
    const { data: d, error, response } = await api.GET("/api/dashboard", { params: { query } });
    if (!response.ok || !d) {
      $("error").textContent = problemText(response.status, error);
      $("state").textContent = "";
      return;
    }
    data = d;
    fromInput.value = d.from;
    toInput.value = d.to;
    exportLinks(d.from, d.to);
    render(d);
    $("state").textContent = t("dash.loaded", { from: day(d.from), to: day(d.to) });
    document.body.dataset.loaded = `${d.from}/${d.to}`;
  } catch {
    $("error").textContent = t("error.network");
    $("state").textContent = "";
  }
}

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

$("period").addEventListener("submit", (event) => {
  event.preventDefault();
  if (fromInput.value && toInput.value) void load(fromInput.value, toInput.value);
});
for (const button of document.querySelectorAll<HTMLButtonElement>("[data-range]")) {
  button.addEventListener("click", () => {
    // Relative to the end of the period on screen (the server's today at first load).
    const end = toInput.value ? new Date(`${toInput.value}T00:00:00`) : new Date();
    const range = button.dataset.range;
    if (range === "30") {
      const start = new Date(end);
      start.setDate(start.getDate() - 29);
      void load(iso(start), iso(end));
    } else if (range === "month") {
      void load(iso(new Date(end.getFullYear(), end.getMonth(), 1)), iso(new Date(end.getFullYear(), end.getMonth() + 1, 0)));
    } else {
      void load(iso(new Date(end.getFullYear(), end.getMonth() - 1, 1)), iso(new Date(end.getFullYear(), end.getMonth(), 0)));
    }
  });
}
onLangChange(() => {
  if (data) {
    render(data);
    $("state").textContent = t("dash.loaded", { from: day(data.from), to: day(data.to) });
  }
});

void mountSession($<HTMLFormElement>("sign-in-form"), $("session-badge"), () => {
  $("dashboard").hidden = false;
  void load();
}, () => {
  $("dashboard").hidden = true;
});
