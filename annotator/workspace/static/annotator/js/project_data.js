// Import from the project page: upload through the API, then follow the job
// until it ends, showing progress, counts and every rejected line.
import { Api, csrfToken } from "./api.js";
import { followJob } from "./job_progress.js";

const form = document.getElementById("import-form");

const status = document.getElementById("import-status");
const bar = document.getElementById("import-progress");
const message = document.getElementById("import-message");
const errorList = document.getElementById("import-errors");

function showErrors(entries) {
  errorList.replaceChildren();
  for (const text of entries) {
    const item = document.createElement("li");
    item.textContent = text; // never markup: file names and lines come from the upload
    errorList.append(item);
  }
}

function describeCounts(counts) {
  return Object.entries(counts || {})
    .map(([key, value]) => `${value} ${key}`)
    .join(", ");
}

function show(job) {
  bar.value = job.progress;
  const counts = describeCounts(job.counts);
  message.textContent = `Job #${job.id}: ${job.state}${counts ? ` (${counts})` : ""}${job.message ? `. ${job.message}` : ""}`;
  showErrors((job.errors || []).map((e) => `${e.file || ""} ${e.where || ""}: ${e.message}`.trim()));
}

// Poll the import job (as the hedge runs do) until it ends.
async function follow(api, id) {
  const job = await followJob((path) => api.get(path), await api.get(`jobs/${id}/`), show, { interval: 700 });
  form.dataset.state = job.state;
}

if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.hidden = false;
    bar.value = 0;
    form.dataset.state = "uploading";
    message.textContent = "Uploading…";
    showErrors([]);
    const data = new FormData(form);
    if (!data.get("format")) data.delete("format");
    try {
      const response = await fetch(`/api/v1/projects/${form.dataset.project}/imports/`, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        credentials: "same-origin",
      });
      const body = await response.json().catch(() => ({ message: `HTTP ${response.status}` }));
      if (!response.ok) {
        form.dataset.state = "refused";
        message.textContent = body.message || `The upload was refused (HTTP ${response.status}).`;
        showErrors(Object.entries(body.errors || {}).flatMap(([where, texts]) => texts.map((t) => `${where}: ${t}`)));
        return;
      }
      await follow(new Api("/api/v1/"), body.id);
    } catch (error) {
      form.dataset.state = "failed";
      message.textContent = `The upload did not reach the server: ${error.message}. Nothing was imported; try again.`;
    } finally {
      button.disabled = false;
    }
  });
}
