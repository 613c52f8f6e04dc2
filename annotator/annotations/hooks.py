"""How annotations lets higher apps gate and follow span and relation writes without importing them.

annotations sits below reviews and credibility (docs/development.md, "Layers"), yet a
write must respect the review state of its layer and must tell credibility that the
figures of its documents are stale. Both apps plug in here from their AppConfig.ready:

- **The layer guard** (one, reviews): whether an annotator's layer may change now, and
  opening it on its first edit (reviews owns the layer's review state). The single-statement
  fast paths (span_sql.py, relation_sql.py) check the same rule in SQL over the guard's
  states (``guard.editing_states``, ``guard.editable_states``), reading the state from the
  ``reviews_assignment`` table by name: the one thing annotations knows of reviews, kept in
  those two statements (a Python import of reviews would fail tests/core/test_layers.py).
- **Change subscribers** (any number; credibility is one): ``changed()`` tells each one the
  project, documents and speakers whose spans or relations changed. Every write path calls
  it: the ORM (post_save/post_delete of Annotation and Relation, connected in
  annotations/apps.py) and the services that write through the fast SQL (span_insert takes
  no signals). Subscribers defer their own work to the commit.
- **Marks in the statement** (at most one subscriber, credibility): a write that is its own
  single-statement transaction runs the subscriber's SQL in that statement instead of
  calling ``changed()`` (one round trip, one commit). ``statement_ctes(keys)`` gives the
  CTEs over ``live`` (the project id) and ``keys`` (a FROM item of (k, e) pairs built with
  ``%(mark_document)s`` and ``%(mark_speaker)s``); they must define a CTE ``scheduled`` that
  yields a row when the subscriber has work to start once the statement has committed, which
  ``statement_written()`` then hands back (other subscribers hear ``changed()`` from it). One
  such subscriber only, because the statement returns one such flag.

Nothing is registered in a bare annotations app: writes are then unguarded and unheard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class LayerGuard:
    """The review state of an annotator's layer, as the app that owns it answers."""

    assert_editable: Callable[..., None]  # (document=, annotator=): raise ApplicationError if read-only
    open_for_edit: Callable[..., None]  # (document=, annotator=): assert_editable, then mark work started
    editable_states: frozenset[str]  # states in which the layer may change
    editing_states: frozenset[str]  # of those, the ones with nothing to record on the first edit


@dataclass(frozen=True)
class StatementMarks:
    """SQL a subscriber runs inside a single-statement write (see the module docstring)."""

    ctes: Callable[[str], str]  # keys FROM item -> CTEs ending with ``scheduled``
    params: Callable[[], dict]  # the CTEs' parameters, with ``mark_document`` and ``mark_speaker``
    committed: Callable[[int], None]  # (project_id): ``scheduled`` had a row and the statement committed


@dataclass(frozen=True)
class Subscriber:
    name: str
    changed: Callable[..., None]  # (project_id, document_ids=, speaker_ids=); inside the writer's transaction
    paused: Callable[[], bool] = lambda: False  # a bulk loader that recomputes itself afterwards
    statement: StatementMarks | None = None


@dataclass
class _Registry:
    guard: LayerGuard | None = None
    subscribers: dict[str, Subscriber] = field(default_factory=dict)


_registry = _Registry()


def layer_guard_register(guard: LayerGuard) -> None:
    _registry.guard = guard


def layer_guard() -> LayerGuard:
    if _registry.guard is None:
        raise ImproperlyConfigured("No layer guard registered (reviews registers it in its AppConfig.ready).")
    return _registry.guard


def subscribe(subscriber: Subscriber) -> None:
    """Register (or replace, by name) a subscriber; call from AppConfig.ready."""
    others = [s for s in _registry.subscribers.values() if s.name != subscriber.name and s.statement]
    if subscriber.statement is not None and others:
        raise ImproperlyConfigured(f"{others[0].name} already marks inside the write statement.")
    _registry.subscribers[subscriber.name] = subscriber


def changed(
    project_id: int | None, *, document_ids: Iterable[int] = (), speaker_ids: Iterable[int] = ()
) -> None:
    """Spans or relations of these documents (and attributions to these speakers) changed."""
    if project_id is None:
        return
    document_ids, speaker_ids = list(document_ids), list(speaker_ids)
    for subscriber in _registry.subscribers.values():
        if not subscriber.paused():
            subscriber.changed(project_id, document_ids=document_ids, speaker_ids=speaker_ids)


def _statement_subscriber() -> Subscriber | None:
    return next((s for s in _registry.subscribers.values() if s.statement and not s.paused()), None)


def statement_marking() -> bool:
    """Whether a single-statement write should carry marks (a subscriber wants them now)."""
    return _statement_subscriber() is not None


def statement_ctes(keys: str) -> str:
    """The marking CTEs over ``keys``; call only when statement_marking() was True at build time."""
    subscriber = next(s for s in _registry.subscribers.values() if s.statement)
    return subscriber.statement.ctes(keys).strip()


def statement_params() -> dict | None:
    """The marking parameters; None when nobody marks now (write without marks)."""
    subscriber = _statement_subscriber()
    return None if subscriber is None else subscriber.statement.params()


def statement_written(
    project_id: int,
    *,
    marked: bool,
    scheduled: bool,
    document_ids: Iterable[int],
    speaker_ids: Iterable[int] = (),
) -> None:
    """A single-statement write committed. The statement subscriber gets its follow-up (when its
    marks ran in the statement and ``scheduled`` came back true); every other subscriber, or all
    of them when the statement carried no marks, hears changed() as from any other write."""
    document_ids, speaker_ids = list(document_ids), list(speaker_ids)
    for subscriber in _registry.subscribers.values():
        if subscriber.paused():
            continue
        if marked and subscriber.statement is not None:
            if scheduled:
                subscriber.statement.committed(project_id)
        else:
            subscriber.changed(project_id, document_ids=document_ids, speaker_ids=speaker_ids)
