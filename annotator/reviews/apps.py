from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "annotator.reviews"
    label = "reviews"

    def ready(self):
        from annotator.annotations import hooks
        from annotator.reviews import services

        hooks.layer_guard_register(services.LAYER_GUARD)
