from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "taizhang.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .signals import update_last_login

        # Logins are logged by django-axes; a login is not a change of the account, so it stays out of
        # the account's history.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
