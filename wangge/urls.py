from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from wangge.core.api_docs import SwaggerView
from wangge.core.csp import csp_report

# URLs are tried in order: the API first, since the checkpoint scan is the busiest request of all.
urlpatterns = [
    path("api/", include("wangge.api_urls")),
    path("", include("wangge.front.urls")),
    path("", include("wangge.core.urls")),
    path("accounts/", include("wangge.accounts.urls")),
    path("regions/colours/", include("wangge.colours.urls")),
    path("regions/", include("wangge.front.browse.urls")),
    path("people/import/", include("wangge.people.import_urls")),
    path("people/", include("wangge.people.urls")),
    path("measures/", include("wangge.measures.urls")),
    path("testing/", include("wangge.testing.urls")),
    path("command/", include("wangge.command.urls")),
    path("checkpoints/", include("wangge.checkpoints.urls")),
    path("devices/", include("wangge.devices.urls")),
    path("", include("wangge.notify.urls")),
    path("", include("wangge.venues.urls")),
    path("", include("wangge.residents.urls")),
    path("teams/", include("wangge.teams.urls")),
    path("sweeps/", include("wangge.sweeps.urls")),
    path("supplies/", include("wangge.supplies.urls")),
    path("tracing/", include("wangge.tracing.urls")),
    path("reports/", include("wangge.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("csp-report/", csp_report, name="csp-report"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
