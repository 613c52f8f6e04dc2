"""The query-parameter rules every list of API v1 shares (DEFAULT_FILTER_BACKENDS).

- A parameter the list does not know is a 400 naming it (a typo such as
  ``projectt=1`` would otherwise return everything).
- Filter errors name the parameter as sent: ``created_after``, not the
  filter's internal name ``created``.
- ``ordering`` takes one of the list's ``ordering_fields`` (``-`` for descending);
  anything else is a 400 listing the choices.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django_filters import RangeFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter

from annotator.core.errors import ApplicationError

# DRF's own ?format= (renderer override) is accepted everywhere.
ALWAYS_ALLOWED = {"format"}


def _is_list(view) -> bool:
    return getattr(view, "action", None) == "list"


def _range_names(name: str, flt) -> list[str]:
    suffixes = getattr(flt.field_class.widget, "suffixes", ["min", "max"])
    return [f"{name}_{suffix}" if suffix else name for suffix in suffixes]


def list_parameters(view) -> set[str]:
    """Every query parameter the view's list understands."""
    names = set(ALWAYS_ALLOWED)
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        for name, flt in filterset_class.base_filters.items():
            names.update(_range_names(name, flt) if isinstance(flt, RangeFilter) else [name])
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        names.update(getattr(paginator, "query_parameters", ()))
    if any(issubclass(backend, OrderingFilter) for backend in view.filter_backends):
        names.add("ordering")
    return names


def unknown_parameters_refuse(request, view=None, *, known: set[str] | None = None) -> None:
    """A 400 naming every query parameter outside ``known`` (default: what the view's list reads),
    or sent empty (``?kind=``: an empty value filters nothing, so it is likely a mistake)."""
    known = (set(known) | ALWAYS_ALLOWED) if known is not None else list_parameters(view)
    unknown = [name for name in request.query_params if name not in known]
    empty = [name for name, values in request.query_params.lists() if name in known and "" in values]
    if empty and not unknown:
        message = "Give a value, or leave the parameter out."
        raise ApplicationError(f"{empty[0]}: {message}", errors={name: [message] for name in empty})
    if unknown:
        accepted = ", ".join(sorted(known - ALWAYS_ALLOWED))
        message = f"Unknown query parameter; this list accepts: {accepted}."
        raise ApplicationError(
            f"Unknown query parameter {unknown[0]!r}; this list accepts: {accepted}.",
            errors={name: [message] for name in unknown},
        )


def _sent_name(filterset, name: str, request) -> str:
    """A range filter's errors name the half that was sent and is wrong (created_after, not created)."""
    flt = filterset.filters.get(name)
    if not isinstance(flt, RangeFilter):
        return name
    field = flt.field.fields[0]
    for sent in _range_names(name, flt):
        value = request.query_params.get(sent)
        if value in (None, ""):
            continue
        try:
            field.clean(value)
        except ValidationError:
            return sent
    return next((s for s in _range_names(name, flt) if request.query_params.get(s)), name)


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        if not _is_list(view):
            return super().filter_queryset(request, queryset, view)
        unknown_parameters_refuse(request, view)
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            errors = {
                _sent_name(filterset, name, request): [str(m) for m in messages]
                for name, messages in filterset.errors.items()
            }
            field, messages = next(iter(errors.items()))
            raise ApplicationError(f"{field}: {messages[0]}", errors=errors)
        return filterset.qs


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=field`` or ``-field`` among the view's ``ordering_fields`` (default: id)."""

    ordering_description = "Sort by this field; prefix with - for descending (ties broken by id)."

    def get_valid_fields(self, queryset, view, context=None):
        fields = getattr(view, "ordering_fields", None) or ("id",)
        return [(field, field) for field in fields]

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if not raw or not _is_list(view):
            return self.get_default_ordering(view) or ("id",)
        valid = {name for name, _ in self.get_valid_fields(queryset, view)}
        terms = [term.strip() for term in raw.split(",")]
        wrong = [term for term in terms if term.lstrip("-") not in valid]
        if wrong:
            choices = ", ".join(sorted(valid))
            raise ApplicationError.field(
                "ordering", f"Cannot sort by {wrong[0]!r}; use one of {choices} (prefix - for descending)."
            )
        return tuple(terms) if any(term.lstrip("-") == "id" for term in terms) else (*terms, "id")

    def get_schema_operation_parameters(self, view):
        fields = getattr(view, "ordering_fields", None) or ("id",)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": self.ordering_description,
                "schema": {"type": "string", "enum": [v for f in fields for v in (f, f"-{f}")]},
            }
        ]
