// The API token page: status, create (shown once), revoke, through /api/v1/tokens/ with the session.
import { csrfToken as csrf } from "../annotator/js/api.js";
import { $ } from "../annotator/js/dom.js";

const endpoint = $("token").dataset.endpoint;

async function call(method, body) {
  const response = await fetch(endpoint, {
    method, credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrf() },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message || `The server answered ${response.status}.`);
  return data;
}

function show(status) {
  $("token-state").textContent = status.exists
    ? `You have a token, created ${new Date(status.created).toLocaleString()}.`
    : "You have no API token.";
  $("token-create").textContent = status.exists ? "Replace token" : "Create token";
  $("token-revoke").hidden = !status.exists;
}

function fail(err) { $("token-error").textContent = err.message; $("token-error").hidden = false; }

async function refresh() { try { show(await call("GET")); } catch (err) { fail(err); } }

$("token-create").addEventListener("click", async () => {
  $("token-error").hidden = true;
  try {
    const made = await call("POST", { password: $("token-password").value });
    $("token-password").value = "";
    $("token-key").textContent = made.key;
    $("token-new").hidden = false;
    show({ exists: true, created: made.created });
  } catch (err) { fail(err); }
});

$("token-revoke").addEventListener("click", async () => {
  $("token-error").hidden = true;
  try {
    await call("DELETE");
    $("token-new").hidden = true;
    $("token-key").textContent = "";
    show({ exists: false });
  } catch (err) { fail(err); }
});

$("token-copy").addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText($("token-key").textContent));
refresh().then(() => { document.body.dataset.tokenReady = "1"; });
