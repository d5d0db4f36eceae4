"""A session the busy database could not save: the 503 page, as for any busy save."""

from __future__ import annotations


def test_a_session_the_busy_database_could_not_save_gets_the_503_not_a_400(client, cast, monkeypatch):
    """Django's database sessions turn a failed save into SessionInterrupted (a 400, "无法打开该页面"); when
    the failure was the database's lock timeout (an import writing on SQLite), it is the 503 page."""
    from django.contrib.sessions.models import Session
    from django.db import OperationalError

    client.force_login(cast.sec_a1)
    session = client.session
    session["touched"] = 1  # the next request saves the session
    session.save()

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("taizhang.core.middleware.SessionIdleMiddleware.__call__", _touching)
    monkeypatch.setattr(Session, "save", locked)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503 and "系统繁忙，请稍后重试" in response.content.decode()


def _touching(self, request):
    """SessionIdleMiddleware as it is when it moves the session's expiry: the session is saved."""
    request.session["touched"] = 2
    return self.get_response(request)
