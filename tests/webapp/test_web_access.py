"""Who may open what: anonymous users are sent to the login page, a unit sees only its own
unit (another unit's URL is 404, not 403), the coordinator sees every unit."""

from __future__ import annotations

import pytest
from web_helpers import COORDINATOR, UNIT_A, UNIT_B, USER_A, USER_B, as_user, text

# {r}: the demo round; {a}/{b}: the two units. Pages of one submission, for both roles.
SUBMISSION_PAGES = ["/rounds/{r}/units/{u}/", "/rounds/{r}/units/{u}/history",
                    "/rounds/{r}/units/{u}/diff"]
UNIT_PAGES = ["/unit/", "/rounds/{r}/units/{a}/edit"]
COORDINATOR_PAGES = ["/coordinator/", "/coordinator/rounds/{r}",
                     "/coordinator/rounds/{r}/chua-nop.csv",
                     "/coordinator/rounds/new", "/coordinator/units/", "/coordinator/units/new",
                     "/coordinator/units/{a}/edit"]
POSTS = ["/rounds/{r}/units/{a}/edit", "/rounds/{r}/units/{a}/recall",
         "/rounds/{r}/units/{a}/return", "/rounds/{r}/units/{a}/accept",
         "/coordinator/rounds/new", "/coordinator/units/new", "/coordinator/units/import"]


def fmt(url: str, demo: dict, unit: str = UNIT_A) -> str:
    return url.format(r=demo["round"], a=UNIT_A, b=UNIT_B, u=unit)


def submit_a(client, demo) -> None:
    """Unit A saves a draft so that history and diff exist."""
    as_user(client, USER_A)
    response = client.post(fmt("/rounds/{r}/units/{a}/edit", demo),
                           data={"action": "draft", "nv_tong": "5"})
    assert response.status_code == 302


@pytest.mark.parametrize("url", [*SUBMISSION_PAGES, *UNIT_PAGES, *COORDINATOR_PAGES,
                                 "/auth/password"])
def test_anonymous_is_sent_to_login(client, demo, url):
    response = client.get(fmt(url, demo))
    assert response.status_code == 302
    assert "/auth/login" in response.location


@pytest.mark.parametrize("url", [*POSTS, "/auth/password"])
def test_anonymous_posts_are_sent_to_login(client, demo, url):
    response = client.post(fmt(url, demo), data={})
    assert response.status_code == 302
    assert "/auth/login" in response.location


@pytest.mark.parametrize("url", SUBMISSION_PAGES + UNIT_PAGES)
def test_unit_opens_its_own_pages(client, demo, url):
    submit_a(client, demo)
    response = client.get(fmt(url, demo))
    assert response.status_code == 200, url


@pytest.mark.parametrize("url", [*SUBMISSION_PAGES, "/rounds/{r}/units/{u}/edit",
                                 "/rounds/{r}/units/{u}/files/1"])
def test_another_units_urls_answer_404(client, demo, url):
    submit_a(client, demo)
    as_user(client, USER_B)
    response = client.get(fmt(url, demo, unit=UNIT_A))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text(response)


@pytest.mark.parametrize("url", ["/rounds/{r}/units/{u}/edit", "/rounds/{r}/units/{u}/recall"])
def test_another_unit_cannot_post(client, demo, url):
    submit_a(client, demo)
    as_user(client, USER_B)
    assert client.post(fmt(url, demo, unit=UNIT_A), data={"action": "draft"}).status_code == 404


@pytest.mark.parametrize("url", COORDINATOR_PAGES)
def test_unit_gets_404_on_coordinator_pages(client, demo, url):
    as_user(client, USER_A)
    assert client.get(fmt(url, demo)).status_code == 404


@pytest.mark.parametrize("url", ["/rounds/{r}/units/{a}/return", "/rounds/{r}/units/{a}/accept",
                                 "/coordinator/units/new", "/coordinator/rounds/new"])
def test_unit_cannot_post_coordinator_actions(client, demo, url):
    submit_a(client, demo)
    assert client.post(fmt(url, demo), data={"comment": "x"}).status_code == 404


@pytest.mark.parametrize("url", COORDINATOR_PAGES + SUBMISSION_PAGES)
def test_coordinator_sees_everything(client, demo, url):
    submit_a(client, demo)
    as_user(client, COORDINATOR)
    response = client.get(fmt(url, demo))
    assert response.status_code == 200, url


def test_coordinator_does_not_fill_for_a_unit(client, demo):
    as_user(client, COORDINATOR)
    assert client.get(fmt("/rounds/{r}/units/{a}/edit", demo)).status_code == 404


def test_unit_not_in_round_and_unknown_round_are_404(client, demo):
    as_user(client, COORDINATOR)
    assert client.get(f"/rounds/{demo['round']}/units/UBND/").status_code == 404
    assert client.get(f"/rounds/999/units/{UNIT_A}/").status_code == 404
    assert client.get("/coordinator/rounds/999").status_code == 404


def test_submission_of_a_unit_with_nothing_saved_shows_missing(client, demo):
    as_user(client, COORDINATOR)
    response = client.get(fmt("/rounds/{r}/units/{b}/", demo))
    assert response.status_code == 200
    assert "chưa lưu báo cáo nào" in text(response)
    assert client.get(fmt("/rounds/{r}/units/{b}/diff", demo)).status_code == 404


def test_home_redirects_by_role(client, demo):
    assert "/auth/login" in client.get("/").location
    as_user(client, USER_A)
    assert client.get("/").location.endswith("/unit/")
    as_user(client, COORDINATOR)
    assert client.get("/").location.endswith("/coordinator/")


def test_healthz(client):
    assert client.get("/healthz").data == b"ok"
