from django.utils import timezone


def update_last_login(sender, user, **kwargs) -> None:
    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    try:
        user.save(update_fields=["last_login"])
    finally:
        del user.skip_history_when_saving
