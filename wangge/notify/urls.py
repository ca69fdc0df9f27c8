"""Notify's pages. Included at the root: the acknowledgement link is short (/a/<token>) because
it goes into an SMS; the staff pages live under /notify/."""

from django.urls import path

from wangge.notify import (
    ack_views,
    admin_views,
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
    path("notify/templates/", admin_views.templates, name="templates"),
    path("notify/templates/new/", admin_views.template_edit, name="template_new"),
    path("notify/templates/<int:pk>/", admin_views.template_edit, name="template_edit"),
    path("notify/templates/<int:pk>/delete/", admin_views.template_remove, name="template_remove"),
    path("notify/lists/", admin_views.lists, name="lists"),
    path("notify/lists/<int:pk>/delete/", admin_views.list_remove, name="list_remove"),
    path("notify/robots/", admin_views.robots, name="robots"),
    path("notify/robots/<int:pk>/off/", admin_views.robot_off, name="robot_off"),
    path("notify/calls/", call_views.open_calls, name="calls"),
    path("notify/messages/<int:pk>/calls/", call_views.message_calls, name="message_calls"),
    path("notify/calls/<int:pk>/dial/", call_views.call_dial, name="call_dial"),
    path("notify/calls/<int:pk>/mark/", call_views.call_mark, name="call_mark"),
    path("notify/receipts/<str:token>/", receipt_views.receipts, name="receipts"),
]
