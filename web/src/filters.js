// The filter form: filled from the state, and reporting each change.
import { ACLED_TYPES, CATEGORIES, MODALITIES } from "./categories.js";
import { FILTER_KEYS } from "./state.js";

export function setupFilters(form, filters, onChange) {
  const options = (select, values) => {
    for (const value of values) select.insertAdjacentHTML("beforeend", `<option value="${value}">${value}</option>`);
  };
  options(form.elements.type, CATEGORIES);
  options(form.elements.acled_type, ACLED_TYPES);
  options(form.elements.modality, MODALITIES);
  fill(form, filters);
  let timer = null;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => onChange(read(form)), 250);
  };
  form.addEventListener("change", changed);
  form.addEventListener("input", (event) => { if (event.target.name === "text") changed(); });
  form.addEventListener("submit", (event) => event.preventDefault());
}

export function fill(form, filters) {
  for (const key of FILTER_KEYS) form.elements[key].value = filters[key] ?? "";
}

export function read(form) {
  const filters = {};
  for (const key of FILTER_KEYS) {
    const value = form.elements[key].value.trim();
    // A code is sent in capitals; a name as typed (the API reads both).
    if (value) filters[key] = key === "country" && value.length <= 3 ? value.toUpperCase() : value;
  }
  return filters;
}

export function fillCountries(datalist, countries) {
  datalist.innerHTML = Object.keys(countries || {}).sort().map((c) => `<option value="${c}">`).join("");
}
