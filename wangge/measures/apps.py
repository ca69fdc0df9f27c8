from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "wangge.measures"
    verbose_name = "管控措施"

    def ready(self) -> None:
        from wangge.measures import colour_inputs

        colour_inputs.register()
