from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wangge.accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from django.contrib.auth import signals as auth_signals

        from wangge.accounts import authority, signals  # noqa: F401
        from wangge.accounts.staff_import import services  # noqa: F401  (its job kind)
        from wangge.core import scoping

        auth_signals.user_logged_in.connect(signals.audit_login, dispatch_uid="wangge_login")
        auth_signals.user_logged_out.connect(signals.audit_logout, dispatch_uid="wangge_logout")
        auth_signals.user_login_failed.connect(
            signals.audit_login_failed, dispatch_uid="wangge_login_failed"
        )
        scoping.provide_scopes(authority.scope_for)
