from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "wangge.people"
    verbose_name = "人员"

    def ready(self) -> None:
        from wangge.people import colour_inputs

        colour_inputs.register()
        from wangge.people import exporting  # noqa: F401  (registers the roster export)
        from wangge.people.importing import jobs  # noqa: F401  (registers the roster's job kinds)
