"""Notify's pages. Included at the root: the acknowledgement link is short (/a/<token>) because
it goes into an SMS; the staff pages live under /notify/."""

from django.urls import path

from wangge.notify import ack_views, call_views, receipt_views

app_name = "notify"

urlpatterns = [
    path("a/<str:token>", ack_views.ack, name="ack"),
    path("notify/calls/", call_views.open_calls, name="calls"),
    path("notify/messages/<int:pk>/calls/", call_views.message_calls, name="message_calls"),
    path("notify/calls/<int:pk>/dial/", call_views.call_dial, name="call_dial"),
    path("notify/calls/<int:pk>/mark/", call_views.call_mark, name="call_mark"),
    path("notify/receipts/<str:token>/", receipt_views.receipts, name="receipts"),
]
