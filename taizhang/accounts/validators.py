"""A password must not contain the account's name or the person's name (a password equal to the user name was
accepted before); Django's UserAttributeSimilarityValidator catches the similar ones."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class NameInPasswordValidator:
    """Refuse a password that contains the user name (3 characters or more) or the person's name (2 or more,
    as Chinese names are), whatever the case."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        lowered = password.casefold()
        for attribute, label, shortest in (("username", "账号", 3), ("display_name", "姓名", 2)):
            value = (getattr(user, attribute, "") or "").strip().casefold()
            if len(value) >= shortest and value in lowered:
                raise ValidationError(f"密码不能包含{label}。", code="password_contains_name")

    def get_help_text(self) -> str:
        return "密码不能包含账号或姓名。"
