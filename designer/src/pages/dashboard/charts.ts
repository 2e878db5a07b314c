// Bar charts with Apache ECharts, tree-shaken to what the dashboard draws (bars, grid, tooltip, legend) on the SVG
// renderer: bundled with the page, nothing from a CDN.
import * as echarts from "echarts/core";
import { BarChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** How the page writes a number (the tables' format): the labels on the bars say the same. */
let label: (value: number) => string = String;

export function setNumberFormat(format: (value: number) => string): void {
  label = format;
}

export interface ChartSpec {
  kind: "bar";
  categories: string[];
  series: { name: string; values: number[]; color: string }[];
  horizontal?: boolean;
  stacked?: boolean;
  percent?: boolean;
  max?: number;
}

const charts = new Map<string, echarts.ECharts>();
const font = '"Be Vietnam Pro", "Noto Sans", sans-serif';

/** Draws (or redraws) the chart in the element with this id; a horizontal chart grows with its categories. */
export function draw(id: string, spec: ChartSpec): void {
  const host = document.getElementById(id)!;
  if (spec.horizontal) host.style.height = `${Math.max(8, spec.categories.length * 1.9 + 4)}rem`;
  let chart = charts.get(id);
  if (!chart) {
    chart = echarts.init(host, undefined, { renderer: "svg" });
    charts.set(id, chart);
    new ResizeObserver(() => chart!.resize()).observe(host);
  } else {
    chart.resize();
  }

  const valueAxis = { type: "value" as const, max: spec.percent ? 100 : spec.max, axisLabel: { fontFamily: font, formatter: spec.percent ? "{value} %" : "{value}" } };
  const categoryAxis = {
    type: "category" as const,
    data: spec.categories,
    inverse: spec.horizontal,
    axisLabel: { fontFamily: font, width: spec.horizontal ? 220 : 90, overflow: "truncate" as const, interval: 0, color: "#1d2433" },
  };
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: font },
    grid: { left: 8, right: 40, top: spec.series.length > 1 ? 30 : 10, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: spec.series.length > 1 ? { top: 0, textStyle: { fontFamily: font } } : { show: false },
    xAxis: spec.horizontal ? valueAxis : categoryAxis,
    yAxis: spec.horizontal ? categoryAxis : valueAxis,
    series: spec.series.map((s) => ({
      type: "bar",
      name: s.name,
      data: s.values,
      stack: spec.stacked ? "all" : undefined,
      itemStyle: { color: s.color },
      barMaxWidth: 22,
      label: {
        show: !spec.stacked,
        position: spec.horizontal ? "right" : "top",
        fontFamily: font,
        formatter: (p: { value: unknown }) => `${label(Number(p.value))}${spec.percent ? " %" : ""}`,
      },
    })),
  }, true);
}
