"""The API's Swagger UI (/api/docs/) under the Content-Security-Policy.

drf-spectacular's split view serves the UI's start-up script as a file of its own
(`/api/docs/?script=`) instead of inline; our template moves the page's few style rules into a
static stylesheet, since the policy refuses <style> elements.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "core/swagger_ui.html"
