from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "wangge.teams"
    verbose_name = "队伍"

    def ready(self) -> None:
        from wangge.notify.links import provide_links
        from wangge.teams.call_links import invite_link

        provide_links(invite_link)
