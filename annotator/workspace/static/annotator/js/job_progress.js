// Following a job until it ends: the workspace's per-document hedge run, the
// project page's whole-project hedge run and its imports all poll
// /api/v1/jobs/<id>/ the same way; the hedge runs also describe it in the same words.

export const FINISHED = new Set(["succeeded", "failed"]);

// "Job #12: running, 40% (80 documents of 200, 311 suggestions)"
export function describeJob(job) {
  const c = job.counts || {};
  const parts = [];
  if (c.total != null) parts.push(`${c.documents || 0} document${c.total === 1 ? "" : "s"} of ${c.total}`);
  if (c.suggestions != null) parts.push(`${c.suggestions} suggestion${c.suggestions === 1 ? "" : "s"}`);
  const detail = parts.length ? ` (${parts.join(", ")})` : "";
  const note = job.state === "failed" && job.message ? `. ${job.message}` : "";
  return `Job #${job.id}: ${job.state}, ${job.progress}%${detail}${note}`;
}

// Poll ``get(path)`` (a function returning the job as JSON) until the job ends; ``onUpdate(job)``
// sees every state on the way. Resolves with the final job.
export async function followJob(get, job, onUpdate, { interval = 400 } = {}) {
  onUpdate(job);
  while (!FINISHED.has(job.state)) {
    await new Promise((resolve) => setTimeout(resolve, interval));
    job = await get(`jobs/${job.id}/`);
    onUpdate(job);
  }
  return job;
}
