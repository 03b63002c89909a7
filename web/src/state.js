// The dashboard's state (filters, map view, selected event and alert) and its round trip through
// the URL, so a link reproduces what the sender saw.
export const FILTER_KEYS = ["type", "acled_type", "country", "admin1", "modality", "min_sources", "since", "until", "text"];

export function defaultFilters() {
  return { modality: "asserted" };
}

export function readState(search) {
  const params = new URLSearchParams(search);
  const filters = defaultFilters();
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null && value !== "") filters[key] = value;
  }
  let view = null;
  const at = (params.get("map") || "").split("/").map(Number);
  if (at.length === 3 && at.every(Number.isFinite)) view = { zoom: at[0], lat: at[1], lon: at[2] };
  return { filters, view, selected: params.get("event") || null, alert: params.get("alert") || null };
}

export function stateSearch(state) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = state.filters[key];
    if (value !== undefined && value !== null && value !== "") params.set(key, value);
  }
  if (state.view) {
    const { zoom, lat, lon } = state.view;
    params.set("map", `${zoom}/${lat.toFixed(4)}/${lon.toFixed(4)}`);
  }
  if (state.selected) params.set("event", state.selected);
  if (state.alert) params.set("alert", state.alert);
  return params.toString();
}

export function writeState(state) {
  const search = stateSearch(state);
  const url = `${location.pathname}${search ? "?" + search : ""}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(null, "", url);
}
