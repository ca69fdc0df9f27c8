"""The contact graph of a case as JSON (/tracing/cases/<pk>/graph.json[?expand=<key>]): only the
candidates the user sees; the case named only for a user who sees its person."""

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.people.models import Person
from wangge.tracing.graph import contact_graph
from wangge.tracing.selectors import case_for, graph_rows


@register_required
@require_GET
def graph_json(request: SignedInRequest, pk: int) -> HttpResponse:
    case, sees_case = case_for(request.user, pk)
    sees_person = (
        sees_case and Person.objects.restrict(request.user).filter(pk=case.person_id).exists()
    )
    name = case.person.name if sees_person else _("病例%(pk)s") % {"pk": case.pk}
    graph = contact_graph(
        name, graph_rows(request.user, case), expand=request.GET.get("expand", "")[:200]
    )
    return JsonResponse(graph)
