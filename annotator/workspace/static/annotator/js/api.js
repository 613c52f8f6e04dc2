// Thin fetch wrapper for the v1 API: JSON in and out, CSRF header, and one
// error type that keeps the status and the API's {"message", "errors"} body.

export class ApiError extends Error {
  constructor(status, body, message) {
    super(message || (body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
  // Worth retrying: the network failed or the server had a transient problem.
  get transient() { return this.status === 0 || this.status === 429 || this.status >= 500; }
  get conflict() { return this.status === 409; }
}

// One key per change, reused by every retry of it: the server answers a repeat
// with the first response (Idempotency-Key), so a write whose answer was lost
// (a proxy's 502) is not applied twice or refused as a duplicate.
export function newIdempotencyKey() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// The one place the CSRF token is read (Django's csrftoken cookie), for every page's scripts.
export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export class Api {
  constructor(root) { this.root = root.endsWith("/") ? root : root + "/"; }

  async request(method, path, body, { idempotencyKey } = {}) {
    const headers = { Accept: "application/json" };
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    const init = { method, headers, credentials: "same-origin" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
    let response;
    try {
      response = await fetch(this.root + path, init);
    } catch (err) {
      throw new ApiError(0, null, "The server could not be reached.");
    }
    if (response.status === 204) return null;
    let data = null;
    const text = await response.text();
    if (text) { try { data = JSON.parse(text); } catch { data = { message: text.slice(0, 200) }; } }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  get(path) { return this.request("GET", path); }
  post(path, body, options) { return this.request("POST", path, body || {}, options); }
  patch(path, body) { return this.request("PATCH", path, body); }
  delete(path) { return this.request("DELETE", path); }
}
