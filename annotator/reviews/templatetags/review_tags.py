"""{% load review_tags %}{% lowest_agreement project %} renders templates/reviews/_lowest_agreement.html."""

from django import template

from annotator.reviews.selectors import documents_lowest_agreement

register = template.Library()


@register.inclusion_tag("reviews/_lowest_agreement.html")
def lowest_agreement(project, limit: int = 10):
    return {"lowest_agreement": list(documents_lowest_agreement(project=project, limit=limit))}
