from django.urls import path

from wangge.residents.views import home, registration, registration_staff

app_name = "residents"

urlpatterns = [
    path("my/", home.home, name="home"),
    path("my/sessions/<int:pk>/end/", home.session_end, name="session_end"),
    path("my/sessions/end/", home.sessions_end_all, name="sessions_end_all"),
    path("my/registration/", registration.overview, name="my_registrations"),
    path("my/registration/new/", registration.submit, name="my_registration_new"),
    path("my/registration/<int:pk>/", registration.detail, name="my_registration"),
    path(
        "my/registration/<int:pk>/withdraw/",
        registration.withdraw,
        name="my_registration_withdraw",
    ),
    path(
        "my/registration/<int:pk>/landlord/",
        registration.landlord_answer,
        name="my_registration_landlord",
    ),
    path("residents/registrations/", registration_staff.queue, name="registrations"),
    path("residents/registrations/new/", registration_staff.on_behalf, name="registration_new"),
    path("residents/registrations/<int:pk>/", registration_staff.detail, name="registration"),
    path(
        "residents/registrations/<int:pk>/confirm/",
        registration_staff.confirm,
        name="registration_confirm",
    ),
    path(
        "residents/registrations/<int:pk>/reject/",
        registration_staff.reject,
        name="registration_reject",
    ),
]
