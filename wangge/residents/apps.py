from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "wangge.residents"
    verbose_name = "居民端"

    def ready(self) -> None:
        from wangge.measures.views.public import checkin_page_register
        from wangge.residents import checks  # noqa: F401  (registers the deploy check)
        from wangge.residents.api import base  # noqa: F401  (registers the OpenAPI cookie scheme)
        from wangge.residents.views.reports import portal_checkin_page

        # The signed check-in link leads a signed-in household to the portal's page.
        checkin_page_register(portal_checkin_page)
