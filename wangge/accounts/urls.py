from django.urls import path

from wangge.accounts import staff_views, token_views, views
from wangge.accounts.staff_import import views as import_views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("staff/", staff_views.staff_list, name="staff_list"),
    path("staff/new/", staff_views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/roles/", staff_views.staff_grant, name="staff_grant"),
    path(
        "staff/<int:pk>/roles/<int:assignment_pk>/revoke/",
        staff_views.staff_revoke,
        name="staff_revoke",
    ),
    path("staff/<int:pk>/deactivate/", staff_views.staff_deactivate, name="staff_deactivate"),
    path("staff/<int:pk>/unlock/", staff_views.staff_unlock, name="staff_unlock"),
    path("staff/import/", import_views.staff_import, name="staff_import"),
    path(
        "staff/import/template.xlsx",
        import_views.staff_import_template,
        name="staff_import_template",
    ),
    path("staff/import/<int:pk>/", import_views.staff_import_detail, name="staff_import_detail"),
    path(
        "staff/import/<int:pk>/credentials/",
        import_views.staff_import_credentials,
        name="staff_import_credentials",
    ),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
