// Helpers shared by the workspace pages: element building, Vietnamese dates, badges, accent folding.
import { extend, lang } from "./i18n";

extend(
  {
    "badge.overdue": "Quá hạn",
    "badge.atRisk": "Sắp đến hạn",
    "badge.awaitingSupplement": "Chờ bổ sung",
  },
  {
    "badge.overdue": "Overdue",
    "badge.atRisk": "Due soon",
    "badge.awaitingSupplement": "Awaiting documents",
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
  return `${time.slice(0, 5)} ${d}/${m}/${y}`;
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
