from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "annotator.reviews"
    label = "reviews"
