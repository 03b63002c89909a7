// A refused filter (a 422 problem document from the API) as a sentence a reader understands,
// naming the form's fields rather than the query parameters.
const FIELDS = {
  type: "Category", acled_type: "ACLED type", country: "Country", admin1: "Area",
  modality: "Modality", min_sources: "Min. sources", since: "From", until: "To", text: "Search",
};

// FastAPI's own wording ("Input should be ...") reads as "must be ...".
function reason(msg) {
  return String(msg || "not valid").replace(/^Input should/, "must").replace(/^Value error, /, "");
}

// {fields: [names of the refused filters], message} for a failed request.
export function describeProblem(error) {
  const problems = (error.problems || []).filter((p) => Array.isArray(p.loc) && p.loc[0] === "query");
  if (error.status !== 422 || !problems.length) {
    return { fields: [], message: `The events could not be loaded: ${error.message}` };
  }
  const fields = [...new Set(problems.map((p) => String(p.loc[p.loc.length - 1])))];
  const parts = problems.map((p) => {
    const name = String(p.loc[p.loc.length - 1]);
    return `${FIELDS[name] || name}: ${reason(p.msg)}`;
  });
  const sentences = parts.map((part) => (/[.?!]$/.test(part) ? part : `${part}.`)).join(" ");
  return { fields, message: `No events shown. ${sentences} Correct the filter or press Reset.` };
}
