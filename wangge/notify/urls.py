"""Notify's pages. Included at the root: the acknowledgement link is short (/a/<token>) because
it goes into an SMS; the staff pages live under /notify/."""

from django.urls import path

from wangge.notify import (
    ack_views,
    call_views,
    compose_views,
    log_views,
    message_views,
    receipt_views,
)

app_name = "notify"

urlpatterns = [
    path("a/<str:token>", ack_views.ack, name="ack"),
    path("notify/", message_views.message_list, name="messages"),
    path("notify/new/", compose_views.compose, name="compose"),
    path("notify/new/preview/", compose_views.compose_preview, name="compose_preview"),
    # The in-app channel links here (channels.inapp.message_link).
    path("notify/<int:pk>/", message_views.message_detail, name="message"),
    path("notify/<int:pk>/cancel/", message_views.message_cancel_view, name="message_cancel"),
    path("notify/persons/<int:pk>/", log_views.person_log, name="person_log"),
    path("notify/households/<int:pk>/", log_views.household_log, name="household_log"),
    path("notify/calls/", call_views.open_calls, name="calls"),
    path("notify/messages/<int:pk>/calls/", call_views.message_calls, name="message_calls"),
    path("notify/calls/<int:pk>/dial/", call_views.call_dial, name="call_dial"),
    path("notify/calls/<int:pk>/mark/", call_views.call_mark, name="call_mark"),
    path("notify/receipts/<str:token>/", receipt_views.receipts, name="receipts"),
]
