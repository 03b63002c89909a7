// The table of events in the map's view, kept in step with the map.
import { colour } from "./categories.js";
import { escapeHtml } from "./text.js";

const MAX_ROWS = 500;

export function renderTable(tbody, caption, features, { total, loaded, selected, onSelect }) {
  const rows = features.slice(0, MAX_ROWS).map((f) => {
    const p = f.properties;
    const actors = [p.actor1, p.actor2].filter(Boolean).join(" → ");
    return `<tr data-id="${escapeHtml(f.id)}" class="${f.id === selected ? "selected" : ""}">
      <td>${escapeHtml(p.date_start || "")}</td>
      <td><span class="swatch" style="background:${colour(p.event)}"></span>${escapeHtml(p.event)}</td>
      <td>${escapeHtml([p.location, p.country].filter(Boolean).join(", "))}</td>
      <td>${escapeHtml(actors)}</td>
      <td>${p.killed ?? ""}</td><td>${p.displaced ?? ""}</td><td>${p.sources ?? ""}</td></tr>`;
  });
  tbody.innerHTML = rows.join("");
  tbody.onclick = (event) => {
    const row = event.target.closest("tr[data-id]");
    if (row) onSelect(row.dataset.id, { fromTable: true });
  };
  const shown = features.length > MAX_ROWS ? `first ${MAX_ROWS} of ${features.length}` : `${features.length}`;
  const partial = loaded < total ? ` (map holds ${loaded} of ${total} matching)` : ` of ${total} matching`;
  caption.textContent = `Events in view: ${shown}${partial}`;
}
