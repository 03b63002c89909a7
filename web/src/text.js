// HTML escaping and highlighting of the words that matter in an evidence sentence.
export function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// The sentence as HTML with every occurrence of `words` (case-insensitive) in <mark>.
export function highlight(sentence, words) {
  const lower = sentence.toLowerCase();
  const spans = [];
  for (const word of words) {
    const needle = (word || "").trim().toLowerCase();
    if (needle.length < 2) continue;
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
      spans.push([at, at + needle.length]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  let html = "", from = 0;
  for (const [start, end] of merged) {
    html += escapeHtml(sentence.slice(from, start)) + "<mark>" + escapeHtml(sentence.slice(start, end)) + "</mark>";
    from = end;
  }
  return html + escapeHtml(sentence.slice(from));
}
