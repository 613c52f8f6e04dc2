from django import template

register = template.Library()


@register.filter
def fmt(value, percent=None):
    """A figure for the table: '∞' for an unbounded bound, a percentage for shares."""
    if value is None:
        return "∞" if not percent else "—"
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:.2f}"
