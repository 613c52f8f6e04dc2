// Submit for review: confirm, wait until every change is saved (submit what
// the reviewer will see), then one POST that keeps its Idempotency-Key across
// retries, so a submit that committed but whose answer was lost is replayed,
// not refused as "already submitted".
//   api, documentId   where to post
//   queue             the Store's SaveQueue (pending, conflict)
//   status(state, text), notice(text)   what to tell the user
//   submitted(result) the layer was submitted (result: the API's answer)

import { newIdempotencyKey } from "./api.js";
import { $ } from "./dom.js";

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

export function bindSubmit({ api, documentId, queue, status, notice, submitted }) {
  let key = null; // one per submission, kept across its retries and a second click after a failure
  const button = $("ws-submit-yes");

  async function submit() {
    button.disabled = true;
    while (queue.pending) {
      if (queue.conflict) { notice("Resolve the conflict before submitting."); button.disabled = false; return; }
      status("saving", "Saving before submitting…");
      await pause(100);
    }
    key ||= newIdempotencyKey();
    try {
      let result;
      for (let attempt = 0; ; attempt++) {
        try {
          result = await api.post(`documents/${documentId}/submit/`, {}, { idempotencyKey: key });
          break;
        } catch (err) {
          if (!err.transient || attempt >= 2) throw err;
          await pause(500 * 2 ** attempt);
        }
      }
      key = null;
      $("ws-submit-confirm").hidden = true;
      submitted(result);
    } catch (err) {
      if (!err.transient) key = null; // refused: the next click is a new request
      notice(`Could not submit: ${err.message}`);
    } finally {
      button.disabled = false;
    }
  }

  $("ws-submit").addEventListener("click", () => {
    $("ws-submit").hidden = true;
    $("ws-submit-confirm").hidden = false;
    button.focus();
  });
  $("ws-submit-no").addEventListener("click", () => {
    $("ws-submit-confirm").hidden = true;
    $("ws-submit").hidden = false;
  });
  button.addEventListener("click", submit);
}
