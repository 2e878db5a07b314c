// Helpers shared by the workspace pages: element building, Vietnamese dates, badges, lateness, accent folding.
import { problemText } from "./api";
import { extend, lang, t } from "./i18n";

extend(
  {
    "badge.overdue": "Quá hạn",
    "badge.atRisk": "Sắp đến hạn",
    "badge.awaitingSupplement": "Chờ bổ sung",
    "late.none": "đúng hạn",
    "late.by": "trễ {d}",
    "late.days": "{n} ngày",
    "late.hours": "{n} giờ",
    "late.minutes": "{n} phút",
  },
  {
    "badge.overdue": "Overdue",
    "badge.atRisk": "Due soon",
    "badge.awaitingSupplement": "Awaiting documents",
    "late.none": "on time",
    "late.by": "{d} late",
    "late.days": "{n} d",
    "late.hours": "{n} h",
    "late.minutes": "{n} min",
  },
);

type Child = Node | string | null | undefined | false;

/** Builds an element: el("td", { class: "x" }, "text", child). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** "14:30 06/05/2026" from an ISO instant with offset (the server writes Vietnam time). */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const [date, time] = iso.split("T");
  const [y, m, d] = date.split("-");
  return `${(time ?? "00:00").slice(0, 5)} ${d}/${m}/${y}`;
}

/** How late, from minutes: "trễ 1 ngày 3 giờ" (calendar time between the due instant and the completion, or now). */
export function lateText(minutes: number): string {
  if (minutes <= 0) return t("late.none");
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const parts: string[] = [];
  if (days) parts.push(t("late.days", { n: days }));
  if (hours) parts.push(t("late.hours", { n: hours }));
  if (!days && !hours) parts.push(t("late.minutes", { n: minutes }));
  return t("late.by", { d: parts.join(" ") });
}

/** Lower case, no diacritics, đ as d: how the server folds names for search. */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
}

export const isEnglish = () => lang() === "en";

/** Response bodies the OpenAPI document does not describe (minimal API JSON results) are read as T. */
export function body<T>(data: unknown): T {
  return data as T;
}

/** The badge chip of a worklist entry. */
export function badge(name: string): HTMLElement {
  return el("span", { class: "badge " + name, "data-badge": name }, t("badge." + name));
}

/**
 * What went wrong, as the server's problem details say it in the page's language: the detail (which names the
 * rule and the people involved) rather than the title alone; 401 and 403 as the shared sign-in wording.
 */
export function problemMessage(status: number, data: unknown): string {
  const p = (data ?? {}) as { title?: string; titleEn?: string; detail?: string; detailEn?: string };
  if (status === 401 || status === 403 || !(p.detail || p.detailEn)) return problemText(status, data);
  return (lang() === "en" ? p.detailEn ?? p.detail : p.detail ?? p.detailEn) ?? problemText(status, data);
}
