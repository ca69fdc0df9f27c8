from django.urls import path

from wangge.command.views import board, events, review, tasks, verification

app_name = "command"
urlpatterns = [
    path("", board.board, name="board"),
    path("board/items/", board.board_items, name="board_items"),
    path("tasks/new/", tasks.task_create, name="task_create"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/cancel/", tasks.task_cancel_view, name="task_cancel"),
    path(
        "tasks/<int:pk>/assignments/<int:assignment_pk>/feedback/",
        tasks.task_feedback,
        name="task_feedback",
    ),
    path(
        "tasks/<int:pk>/assignments/<int:assignment_pk>/<slug:action>/",
        tasks.task_action,
        name="task_action",
    ),
    path("attachments/<int:pk>/", tasks.attachment, name="attachment"),
    path("whistle/new/", tasks.whistle_create, name="whistle_create"),
    path("verification/", verification.list_index, name="verification_lists"),
    path("verification/new/", verification.upload, name="verification_upload"),
    path("verification/mine/", verification.my_rows, name="my_rows"),
    path("verification/<int:pk>/", verification.list_detail, name="verification_detail"),
    path("verification/<int:pk>/export/", verification.export, name="verification_export"),
    path("verification/rows/<int:pk>/answer/", verification.row_answer, name="row_answer"),
    path("events/", events.event_index, name="events"),
    path("events/new/", events.event_create, name="event_create"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/hand-over/", events.event_handover, name="event_handover"),
    path(
        "events/<int:pk>/playbooks/<int:playbook_pk>/run/",
        events.playbook_run,
        name="playbook_run",
    ),
    path("events/<int:pk>/<slug:action>/", events.event_action, name="event_action"),
    path("bundles/<int:pk>/", events.bundle_detail, name="bundle_detail"),
    path("playbooks/", events.playbook_index, name="playbooks"),
    path("review/", review.review_index, name="reviews"),
    path("review/<str:day>/", review.review_day, name="review_day"),
]
