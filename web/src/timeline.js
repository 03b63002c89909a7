// The timeline: events per day as stacked bars by category (hand-written SVG), with a brush:
// drag across it to choose a period, which filters the map and the table.
import { colour } from "./categories.js";

const DAY = 86400000;
const MARGIN = { left: 34, right: 8, top: 6, bottom: 18 };

const parse = (iso) => Date.parse(`${iso}T00:00:00Z`);
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

// [{day, counts: {CATEGORY: n}}] from the stats payload (stacked when it has days_by_type).
export function dayRows(stats) {
  const rows = new Map(Object.keys(stats.days || {}).sort().map((day) => [day, { day, counts: {} }]));
  if (stats.days_by_type) {
    for (const [category, days] of Object.entries(stats.days_by_type)) {
      for (const [day, n] of Object.entries(days)) rows.get(day).counts[category] = n;
    }
  } else {
    for (const [day, n] of Object.entries(stats.days || {})) rows.get(day).counts.ALL = n;
  }
  return [...rows.values()];
}

export function createTimeline(svg, legend, onBrush) {
  let scale = null;
  let drag = null;

  function width() { return svg.clientWidth || 600; }
  function height() { return svg.clientHeight || 110; }

  function draw(rows, brush) {
    const w = width(), h = height();
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    svg.innerHTML = "";
    if (!rows.length) { scale = null; legend.innerHTML = ""; return; }
    const first = parse(rows[0].day), last = parse(rows[rows.length - 1].day) + DAY;
    const span = Math.max(last - first, DAY);
    const inner = w - MARGIN.left - MARGIN.right;
    scale = {
      x: (ms) => MARGIN.left + ((ms - first) / span) * inner,
      day: (x) => first + Math.floor(((x - MARGIN.left) / inner) * span / DAY) * DAY,
      first, last,
    };
    const totals = rows.map((r) => Object.values(r.counts).reduce((a, b) => a + b, 0));
    const top = Math.max(1, ...totals);
    const plot = h - MARGIN.top - MARGIN.bottom;
    const barWidth = Math.max(1, (inner * DAY) / span - 1);
    const seen = new Set();
    const parts = [];
    rows.forEach((row) => {
      let y = h - MARGIN.bottom;
      const x = scale.x(parse(row.day));
      for (const [category, n] of Object.entries(row.counts).sort()) {
        const bar = (n / top) * plot;
        y -= bar;
        seen.add(category);
        parts.push(`<rect class="day" data-day="${row.day}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${bar.toFixed(1)}" fill="${colour(category)}"><title>${row.day} ${category}: ${n}</title></rect>`);
      }
    });
    parts.push(`<text x="2" y="${MARGIN.top + 8}" font-size="10">${top}</text>`);
    parts.push(`<text x="${MARGIN.left}" y="${h - 4}" font-size="10">${iso(first)}</text>`);
    parts.push(`<text x="${w - MARGIN.right}" y="${h - 4}" font-size="10" text-anchor="end">${iso(last - DAY)}</text>`);
    svg.innerHTML = parts.join("");
    if (brush && (brush.since || brush.until)) {
      const x0 = scale.x(brush.since ? parse(brush.since) : first);
      const x1 = scale.x(brush.until ? parse(brush.until) + DAY : last);
      svg.insertAdjacentHTML("beforeend", `<rect class="brush" x="${x0}" y="${MARGIN.top}" width="${Math.max(1, x1 - x0)}" height="${plot}"></rect>`);
    }
    legend.innerHTML = [...seen].sort().map((c) => `<span><i style="background:${colour(c)}"></i>${c}</span>`).join("");
  }

  function localX(event) {
    const box = svg.getBoundingClientRect();
    return ((event.clientX - box.left) / box.width) * width();
  }

  svg.addEventListener("pointerdown", (event) => {
    if (!scale) return;
    drag = { start: localX(event) };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const x = localX(event);
    let rect = svg.querySelector(".brush");
    if (!rect) {
      svg.insertAdjacentHTML("beforeend", `<rect class="brush" y="${MARGIN.top}" height="${height() - MARGIN.top - MARGIN.bottom}"></rect>`);
      rect = svg.querySelector(".brush");
    }
    rect.setAttribute("x", Math.min(drag.start, x));
    rect.setAttribute("width", Math.abs(x - drag.start));
  });
  svg.addEventListener("pointerup", (event) => {
    if (!drag || !scale) return;
    const x0 = Math.min(drag.start, localX(event)), x1 = Math.max(drag.start, localX(event));
    drag = null;
    if (x1 - x0 < 3) { onBrush(null); return; }
    const since = Math.max(scale.first, scale.day(x0));
    const until = Math.min(scale.last - DAY, scale.day(x1));
    onBrush({ since: iso(since), until: iso(Math.max(since, until)) });
  });

  return { draw };
}
