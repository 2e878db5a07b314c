// The procedure as a diagram: steps as boxes in swim lanes per agency, arrows from each step to the next
// (parallel branches and joins), conditions on the arrows into conditional steps, each step's duration, and the
// critical path against the legal time limit. The order along the flow comes from elkjs's layered layout;
// each box is then put in its agency's lane. Drawn as SVG so it can be exported as SVG and PNG.
import type { ElkNode } from "elkjs/lib/elk-api";
import ELK from "elkjs/lib/elk.bundled.js";
import { amount, criticalPath, fits, type Model } from "./model";

const elk = new ELK();
const SVG = "http://www.w3.org/2000/svg";

export interface DiagramLabels {
  lane: (agencyId: string) => string;
  duration: (text: string) => string;
  critical: (path: string, total: string, limit: string, ok: boolean) => string;
  problems: (n: number) => string;
}

export interface Marks {
  /** Step ids with problems → how many and what they say. */
  problems: Map<string, { errors: number; warnings: number; text: string[] }>;
  /** Step ids to highlight as changed (the comparison), and removed ones. */
  changed?: Set<string>;
  added?: Set<string>;
}

const BOX_W = 170;
const BOX_H = 58;
const LANE_HEAD = 150;
const GAP_Y = 14;
const PAD = 16;

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Splits a name into at most `lines` lines of about `width` characters, with an ellipsis when cut. */
function wrap(text: string, width: number, lines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let line = "";
  for (const w of words) {
    if ((line + " " + w).trim().length > width && line) {
      out.push(line);
      line = w;
      if (out.length === lines) break;
    } else {
      line = (line + " " + w).trim();
    }
  }
  if (out.length < lines && line) out.push(line);
  const used = out.join(" ").length;
  if (used < text.trim().length && out.length) out[out.length - 1] = out[out.length - 1].replace(/.{0,1}$/, "…");
  return out;
}

/** Styles embedded in the SVG, so an exported file looks like the page. */
const STYLE = `
  .lane-band { fill: #f7f8fb; stroke: #d6dbe6; }
  .lane-band.odd { fill: #ffffff; }
  .lane-name { font: 600 12px "Be Vietnam Pro", "Noto Sans", sans-serif; fill: #1d2433; }
  .step rect { fill: #fff; stroke: #5b6478; stroke-width: 1.2; rx: 6; }
  .step.critical rect { stroke: #a31d24; stroke-width: 2.2; }
  .step.conditional rect { stroke-dasharray: 5 3; }
  .step.selected rect { fill: #fff4d6; }
  .step.error rect { stroke: #b00020; stroke-width: 2.6; fill: #fdecee; }
  .step.warning rect { stroke: #7a5600; stroke-width: 2.2; }
  .step.changed rect { fill: #e6f0ff; stroke: #1a5fb4; stroke-width: 2.4; }
  .step.added rect { fill: #e7f6ea; stroke: #1b6b2c; stroke-width: 2.4; }
  .step text { font: 11px "Be Vietnam Pro", "Noto Sans", sans-serif; fill: #1d2433; }
  .step .id { font-weight: 600; }
  .step .duration { fill: #4f586b; }
  .step .badge { fill: #b00020; }
  .step .badge-text { fill: #fff; font-weight: 600; font-size: 10px; }
  .edge { fill: none; stroke: #5b6478; stroke-width: 1.3; }
  .edge.critical { stroke: #a31d24; stroke-width: 2; }
  .edge-label { font: 10px "Be Vietnam Pro", "Noto Sans", sans-serif; fill: #5a3e00; }
  .edge-label-bg { fill: #fff7e0; }
  .summary { font: 12px "Be Vietnam Pro", "Noto Sans", sans-serif; fill: #1d2433; }
  .summary.over { fill: #b00020; font-weight: 600; }
`;

/**
 * Lays out and draws the model into `host` (replacing what was there). Returns the SVG element; each step is a
 * `<g class="step" data-step="ID">` so clicks and exports can find it.
 */
export async function drawDiagram(host: HTMLElement, model: Model, marks: Marks, labels: DiagramLabels, onSelect: (stepId: string) => void): Promise<SVGSVGElement> {
  const ids = new Set(model.steps.map((s) => s.id));
  const graph: ElkNode = {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.layered.spacing.nodeNodeBetweenLayers": "40",
      "elk.spacing.nodeNode": "20",
      "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
    },
    children: model.steps.map((s) => ({ id: "n:" + s.id, width: BOX_W, height: BOX_H })),
    edges: model.steps.flatMap((s) => s.after.filter((p) => ids.has(p) && p !== s.id)
      .map((p, i) => ({ id: `e:${p}->${s.id}:${i}`, sources: ["n:" + p], targets: ["n:" + s.id] }))),
  };
  const laid = model.steps.length ? await elk.layout(graph) : { children: [] as ElkNode[] };
  const x = new Map<string, number>();
  for (const n of laid.children ?? []) x.set(n.id.slice(2), n.x ?? 0);

  // Lanes: the agencies in the order the definition declares them, then any other agency a step names.
  const laneIds = [...model.agencies.map((a) => a.id)];
  for (const s of model.steps) if (!laneIds.includes(s.agency)) laneIds.push(s.agency);
  const used = laneIds.filter((id) => model.steps.some((s) => s.agency === id));

  // Within a lane, boxes in the same column are stacked.
  const columnOf = (id: string) => Math.round((x.get(id) ?? 0) / (BOX_W + 40));
  const slot = new Map<string, number>();
  const laneRows = new Map<string, number>();
  for (const lane of used) {
    const counts = new Map<number, number>();
    for (const s of model.steps.filter((s) => s.agency === lane)) {
      const c = columnOf(s.id);
      const k = counts.get(c) ?? 0;
      slot.set(s.id, k);
      counts.set(c, k + 1);
    }
    laneRows.set(lane, Math.max(1, ...counts.values()));
  }
  const laneTop = new Map<string, number>();
  let y = PAD + 28;
  for (const lane of used) {
    laneTop.set(lane, y);
    y += laneRows.get(lane)! * (BOX_H + GAP_Y) + GAP_Y;
  }
  const height = y + PAD;
  const width = LANE_HEAD + Math.max(0, ...[...x.values()]) + BOX_W + PAD * 2;
  const pos = new Map(model.steps.map((s) => [s.id, {
    x: LANE_HEAD + PAD + (x.get(s.id) ?? 0),
    y: (laneTop.get(s.agency) ?? PAD) + GAP_Y + (slot.get(s.id) ?? 0) * (BOX_H + GAP_Y),
  }]));

  const critical = criticalPath(model.steps);
  const onPath = new Set(critical.steps);
  const svg = el("svg", { xmlns: SVG, width, height, viewBox: `0 0 ${width} ${height}`, role: "group", "aria-label": model.name || model.code, class: "diagram" });
  svg.append(el("style", {}, STYLE));
  svg.append(el("title", {}, model.name || model.code));

  // Critical path against the legal limit, above the lanes.
  const limit = amount(model.timeLimit);
  const total = critical.total;
  const ok = limit ? fits(total, limit) : true;
  const summary = labels.critical(critical.steps.join(" → "), describeTotal(total, labels), labels.duration(model.timeLimit), ok);
  svg.append(el("text", { x: PAD, y: PAD + 8, class: ok ? "summary" : "summary over", id: "critical-path" }, summary));

  used.forEach((lane, i) => {
    const top = laneTop.get(lane)!;
    const h = laneRows.get(lane)! * (BOX_H + GAP_Y) + GAP_Y;
    svg.append(el("rect", { x: 0, y: top, width, height: h, class: i % 2 ? "lane-band odd" : "lane-band" }));
    const name = el("text", { x: 8, y: top + 18, class: "lane-name" });
    wrap(labels.lane(lane), 22, 3).forEach((line, j) => name.append(el("tspan", { x: 8, dy: j ? 14 : 0 }, line)));
    svg.append(name);
  });

  const stepsById = new Map(model.steps.map((s) => [s.id, s]));
  for (const s of model.steps) {
    for (const p of s.after) {
      const a = pos.get(p);
      const b = pos.get(s.id);
      if (!a || !b || p === s.id) continue;
      const x1 = a.x + BOX_W, y1 = a.y + BOX_H / 2, x2 = b.x, y2 = b.y + BOX_H / 2;
      const mid = Math.max(x1 + 12, (x1 + x2) / 2);
      const path = x2 > x1
        ? `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 6},${y2}`
        : `M${x1},${y1} C${x1 + 40},${y1} ${x2 - 40},${y2} ${x2 - 6},${y2}`;
      const isCritical = onPath.has(p) && onPath.has(s.id) && critical.steps.indexOf(s.id) === critical.steps.indexOf(p) + 1;
      svg.append(el("path", { d: path, class: isCritical ? "edge critical" : "edge", "marker-end": "url(#arrow)", "data-from": p, "data-to": s.id }));
      if (stepsById.get(s.id)?.when) {
        const text = s.when!.length > 28 ? s.when!.slice(0, 27) + "…" : s.when!;
        const lx = (x1 + x2) / 2, ly = (y1 + y2) / 2 - 4;
        const w = text.length * 5.4 + 6;
        svg.append(el("rect", { x: lx - w / 2, y: ly - 10, width: w, height: 13, class: "edge-label-bg", rx: 3 }));
        const label = el("text", { x: lx, y: ly, "text-anchor": "middle", class: "edge-label" }, text);
        label.append(el("title", {}, s.when!));
        svg.append(label);
      }
    }
  }
  const defs = el("defs");
  const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#5b6478" }));
  defs.append(marker);
  svg.prepend(defs);

  for (const s of model.steps) {
    const p = pos.get(s.id)!;
    const problem = marks.problems.get(s.id);
    const classes = ["step"];
    if (onPath.has(s.id)) classes.push("critical");
    if (s.when) classes.push("conditional");
    if (problem) classes.push(problem.errors ? "error" : "warning");
    if (marks.changed?.has(s.id)) classes.push("changed");
    if (marks.added?.has(s.id)) classes.push("added");
    const g = el("g", { class: classes.join(" "), "data-step": s.id, transform: `translate(${p.x},${p.y})`, tabindex: 0, role: "button" });
    g.append(el("rect", { width: BOX_W, height: BOX_H, rx: 6 }));
    g.append(el("text", { x: 8, y: 15, class: "id" }, s.id));
    wrap(s.name, 30, 2).forEach((line, i) => g.append(el("text", { x: 8, y: 29 + i * 12 }, line)));
    g.append(el("text", { x: BOX_W - 6, y: 15, "text-anchor": "end", class: "duration" }, labels.duration(s.duration)));
    const tip = [`${s.id}: ${s.name}`, labels.duration(s.duration), ...(s.when ? [s.when] : []), ...(problem?.text ?? [])].join("\n");
    g.append(el("title", {}, tip));
    if (problem) g.setAttribute("aria-description", labels.problems(problem.errors + problem.warnings));
    if (problem) {
      g.append(el("circle", { cx: BOX_W - 2, cy: 2, r: 9, class: "badge" }));
      g.append(el("text", { x: BOX_W - 2, y: 6, "text-anchor": "middle", class: "badge-text" }, String(problem.errors + problem.warnings)));
    }
    g.addEventListener("click", () => onSelect(s.id));
    g.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        onSelect(s.id);
      }
    });
    svg.append(g);
  }
  host.replaceChildren(svg);
  return svg;
}

function describeTotal(total: { workingDays: number; workingHours: number; days: number }, labels: DiagramLabels): string {
  const parts: string[] = [];
  const days = total.workingDays + Math.floor(total.workingHours / 8);
  const hours = total.workingHours % 8;
  if (days) parts.push(labels.duration(`${days} working days`));
  if (hours) parts.push(labels.duration(`${hours} working hours`));
  if (total.days) parts.push(labels.duration(`${total.days} days`));
  return parts.join(" + ") || "0";
}

/** Marks the box of the step at the editor's cursor. */
export function select(svg: SVGSVGElement | null, stepId: string | null) {
  if (!svg) return;
  for (const g of svg.querySelectorAll(".step.selected")) g.classList.remove("selected");
  if (stepId) svg.querySelector(`.step[data-step="${CSS.escape(stepId)}"]`)?.classList.add("selected");
}

/** The diagram as a standalone SVG file (styles embedded). */
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  for (const g of copy.querySelectorAll(".selected")) g.classList.remove("selected");
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy);
}

/** The diagram as a PNG (2x for print). */
export async function pngBlob(svg: SVGSVGElement): Promise<Blob> {
  const text = svgText(svg);
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("the diagram could not be drawn"));
      image.src = url;
    });
    const scale = 2;
    const canvas = document.createElement("canvas");
    canvas.width = svg.width.baseVal.value * scale;
    canvas.height = svg.height.baseVal.value * scale;
    const context = canvas.getContext("2d")!;
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("no PNG"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function download(name: string, blob: Blob) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
