from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """The bell's unread count for every page of a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_alerts": user.alerts.filter(read_at__isnull=True).count()}
