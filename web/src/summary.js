// The summary panel: totals and the leading countries, first-level divisions and categories.
import { escapeHtml } from "./text.js";

function top(tally, n = 6) {
  return Object.entries(tally || {}).sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([name, count]) => `<li>${escapeHtml(name)} — ${count}</li>`).join("");
}

export function renderSummary(container, stats) {
  container.innerHTML = `<h3>${stats.total} event(s) match</h3>
    <h3>Categories</h3><ol>${top(stats.types)}</ol>
    <h3>Countries</h3><ol>${top(stats.countries)}</ol>
    <h3>First-level divisions</h3><ol>${top(stats.admin1)}</ol>`;
}
