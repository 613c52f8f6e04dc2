// The project page's "Suggest hedges in every document" (managers): queue the
// project's hedges job through the API, then show its progress until it ends.
// Without JavaScript the form posts to the rule page's run view instead.
import { Api } from "./api.js";
import { describeJob, followJob } from "./job_progress.js";

const form = document.getElementById("hedge-run-form");

if (form) {
  const api = new Api("/api/v1/");
  const status = document.getElementById("hedge-run-status");
  const bar = document.getElementById("hedge-run-progress");
  const message = document.getElementById("hedge-run-message");
  const show = (job) => {
    bar.value = job.progress;
    message.textContent = describeJob(job);
    form.dataset.state = job.state;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.hidden = false;
    bar.value = 0;
    message.textContent = "Queuing…";
    form.dataset.state = "queuing";
    try {
      const job = await api.post(`projects/${form.dataset.project}/hedge-runs/`);
      await followJob((path) => api.get(path), job, show);
    } catch (err) {
      form.dataset.state = "failed";
      message.textContent = `Not started: ${err.message}`;
    } finally {
      button.disabled = false;
    }
  });
}
