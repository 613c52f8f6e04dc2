"""{% load review_tags %}{% lowest_agreement project %} renders templates/reviews/_lowest_agreement.html."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from annotator.reviews.selectors import documents_lowest_agreement

register = template.Library()


@register.inclusion_tag("reviews/_lowest_agreement.html")
def lowest_agreement(project, limit: int = 10):
    return {"lowest_agreement": list(documents_lowest_agreement(project=project, limit=limit))}


@register.filter
def exact_text(value: str) -> str:
    """Escaped text whose carriage returns survive into the DOM.

    The HTML parser turns a literal CR (and CRLF) into LF, so the page's text would be
    shorter than the stored text and every offset computed from a selection after a CRLF
    would be shifted. A character reference (``&#13;``) is kept as U+000D.
    """
    return mark_safe(escape(value).replace("\r", "&#13;"))  # noqa: S308 - escaped just above
