"""The login lockout sees the client's address behind a trusted proxy, and nobody else's claims."""

import pytest
from django.test import RequestFactory

from taizhang.core.proxies import client_ip


def request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/accounts/login/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "seen"),
    [
        ({"127.0.0.1"}, "127.0.0.1", "10.1.2.3", "10.1.2.3"),  # nginx on the machine names the client
        ({"127.0.0.1"}, "127.0.0.1", "6.6.6.6, 10.1.2.3", "10.1.2.3"),  # the client's own claim comes first
        ({"127.0.0.1"}, "127.0.0.1", None, "127.0.0.1"),
        ({"127.0.0.1"}, "10.9.9.9", "1.1.1.1", "10.9.9.9"),  # not from the proxy: the header is anyone's
        (set(), "127.0.0.1", "10.1.2.3", "127.0.0.1"),  # no proxy trusted (the default)
    ],
)
def test_the_address_the_lockout_sees(settings, trusted, remote, forwarded, seen):
    settings.TRUSTED_PROXIES = frozenset(trusted)
    assert client_ip(request(remote, forwarded)) == seen


def test_the_lockout_uses_it(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    assert get_client_ip_address(request("127.0.0.1", "10.1.2.3")) == "10.1.2.3"
