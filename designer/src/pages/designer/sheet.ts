// The procedure sheet a province posts at its counter: code, name, legal basis, documents, steps with agencies and
// durations, time limit, fee and the diagram, as a self-contained printable page (A4; "Print → Save as PDF").
import type { Model } from "./model";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]!));

export function sheetHtml(
  m: Model, svg: string,
  t: (key: string, params?: Record<string, string | number>) => string,
  duration: (text: string) => string,
  day: (iso: string) => string,
): string {
  const agency = new Map(m.agencies.map((a) => [a.id, a.name]));
  const rows = m.steps.map((s, i) => `<tr><td>${i + 1}</td><td>${escape(s.name)}${s.when ? `<br><em>${escape(t("sheet.when", { when: s.when }))}</em>` : ""}</td>` +
    `<td>${escape(agency.get(s.agency) ?? s.agency)}</td><td>${escape(duration(s.duration))}</td></tr>`).join("");
  const docs = m.documents.map((d) => `<li>${escape(d.name)}${d.when ? ` <em>(${escape(t("sheet.when", { when: d.when }))})</em>` : ""}</li>`).join("");
  const basis = m.legalBasis.map((b) => `<li>${escape(b)}</li>`).join("");
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(t("sheet.title"))} ${escape(m.code)}</title>
<style>
  @page { size: A4; margin: 18mm 16mm; }
  body { font: 12pt/1.45 "Be Vietnam Pro", "Noto Sans", "DejaVu Sans", sans-serif; color: #111; max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
  h1 { font-size: 15pt; margin: 0 0 4pt; } h2 { font-size: 12.5pt; margin: 12pt 0 4pt; }
  table { border-collapse: collapse; width: 100%; font-size: 10.5pt; } td, th { border: 1px solid #888; padding: 3pt 4pt; vertical-align: top; text-align: left; }
  .meta { margin: 0; } .diagram svg { max-width: 100%; height: auto; }
  @media print { .no-print { display: none; } }
</style></head>
<body>
<p class="no-print"><button type="button" id="sheet-print">${escape(t("sheet.print"))}</button></p>
<header><p class="meta">${escape(t("sheet.title"))} · ${escape(t("sheet.code"))} ${escape(m.code)}${m.version ? ` · ${escape(t("sheet.version"))} ${m.version}` : ""}</p>
<h1 id="sheet-name">${escape(m.name)}</h1>
<p class="meta">${escape(t("sheet.effective", { from: day(m.effectiveFrom), until: m.effectiveUntil ? day(m.effectiveUntil) : "—" }))}</p></header>
<h2>${escape(t("sheet.limit"))}</h2><p id="sheet-limit">${escape(duration(m.timeLimit))}</p>
<h2>${escape(t("sheet.fee"))}</h2><p>${escape(m.fee || "—")}</p>
<h2>${escape(t("sheet.basis"))}</h2><ul>${basis}</ul>
<h2>${escape(t("sheet.documents"))}</h2><ol id="sheet-documents">${docs}</ol>
<h2>${escape(t("sheet.steps"))}</h2>
<table id="sheet-steps"><thead><tr><th>#</th><th>${escape(t("sheet.step"))}</th><th>${escape(t("sheet.agency"))}</th><th>${escape(t("sheet.duration"))}</th></tr></thead><tbody>${rows}</tbody></table>
<h2>${escape(t("sheet.diagram"))}</h2><div class="diagram">${svg}</div>
</body></html>`;
}
