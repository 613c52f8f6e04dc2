// The review page's writes: every action is a form POST that answers JSON
// ({message, html}); one at a time (a second press while one is in flight is
// dropped), with the comparison's new HTML handed back to the page.
//   documentId        sent as "refresh": the server re-renders this document
//   status(state, message)   what to tell the user
//   swap(html)        put the re-rendered comparison in place

import { csrfToken } from "../annotator/js/api.js";

export function reviewServer({ documentId, status, swap }) {
  let busy = false;

  // Resolves true when the server accepted the action.
  async function post(url, data) {
    if (busy) return false;
    busy = true;
    data.set("refresh", documentId);
    status("saving", "Saving…");
    let response, payload = {};
    try {
      response = await fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      });
      payload = await response.json().catch(() => ({}));
    } catch (err) {
      busy = false;
      status("failed", "Not saved: the server could not be reached. Try again.");
      return false;
    }
    busy = false;
    if (!response.ok) {
      status("failed", payload.message || `Not saved (HTTP ${response.status}).`);
      return false;
    }
    if (payload.html) swap(payload.html);
    status("saved", payload.message || "Saved.");
    return true;
  }

  // Post a form of the page, with extra fields (the pressed button's, a reason, bounds).
  function send(form, extra = {}) {
    const data = new FormData(form);
    for (const [k, v] of Object.entries(extra)) data.set(k, v);
    return post(form.action, data);
  }

  // A form body carrying the CSRF token, for writes with no form on the page.
  function formData(fields) {
    const data = new FormData();
    data.set("csrfmiddlewaretoken", csrfToken());
    for (const [k, v] of Object.entries(fields)) data.set(k, v);
    return data;
  }

  return { post, send, formData };
}
