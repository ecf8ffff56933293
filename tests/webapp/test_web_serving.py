"""`decuong serve`'s settings for waitress, resolved from options, config and defaults."""

from __future__ import annotations

import pytest

from webapp.serving import exposure_warning, resolve_limits


def test_defaults_replace_waitress_defaults() -> None:
    options = resolve_limits({"MAX_UPLOAD_MB": 20}, threads=2).waitress_options()
    assert options["max_request_body_size"] == 21 * 1024 * 1024 + 1  # refused from 21 MB + 1
    assert options["connection_limit"] == 500  # waitress: 100
    assert options["channel_timeout"] == 30  # waitress: 120
    assert options["cleanup_interval"] == 10  # waitress: 30
    assert options["max_request_header_size"] == 64 * 1024  # waitress: 256 KiB
    assert options["clear_untrusted_proxy_headers"] is True


def test_options_win_over_config_which_wins_over_defaults() -> None:
    config = {"MAX_UPLOAD_MB": 5, "SERVER_CONNECTION_LIMIT": 300, "SERVER_CHANNEL_TIMEOUT": 15,
              "PROXY_COUNT": 1}
    limits = resolve_limits(config, threads=4, channel_timeout=7)
    options = limits.waitress_options()
    assert options["connection_limit"] == 300
    assert options["channel_timeout"] == 7
    assert options["cleanup_interval"] == 10
    assert options["threads"] == 4
    assert options["max_request_body_size"] == 6 * 1024 * 1024 + 1
    # Behind a proxy, waitress passes X-Forwarded-* on to the app's ProxyFix (webapp.proxy).
    assert options["clear_untrusted_proxy_headers"] is False


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="SERVER_CHANNEL_TIMEOUT"):
        resolve_limits({"MAX_UPLOAD_MB": 20, "SERVER_CHANNEL_TIMEOUT": 0}, threads=2)


@pytest.mark.parametrize(("host", "warned"), [
    ("127.0.0.1", False), ("::1", False), ("localhost", False), ("127.0.0.5", False),
    ("0.0.0.0", True), ("192.168.1.10", True), ("may-chu.local", True)])
def test_serving_behind_a_proxy_on_a_reachable_address_is_warned(host, warned) -> None:
    message = exposure_warning(host, behind_proxy=True)
    assert (message is not None) == warned
    if warned:
        assert f"đang nghe ở {host}" in message and "--host 127.0.0.1" in message
    assert exposure_warning(host, behind_proxy=False) is None
