"""The admin's Users page: finding accounts by username, role and organisation, a page at a time."""
import re

from training.admin import PAGE_SIZE


def listed(client, query: str = "") -> list[str]:
    """The usernames the Users page lists for a query string."""
    page = client.get(f"/admin/users{query}")
    assert page.status_code == 200
    return re.findall(r'<th scope="row" role="rowheader">([^<]+)</th>', page.get_data(as_text=True))


def test_part_of_a_username_finds_it_whatever_the_case(client, as_user, make_user):
    as_user("admin", username="boss")
    for name in ("amal-h", "bo_chen", "zoe"):
        make_user(username=name)
    assert listed(client, "?q=+AMAL+") == ["amal-h"]


def test_wildcards_in_the_search_match_themselves(client, as_user, make_user):
    as_user("admin", username="boss")
    for name in ("amal-h", "bo_chen", "zoe"):
        make_user(username=name)
    assert listed(client, "?q=_") == ["bo_chen"]
    assert listed(client, "?q=%25") == []


def test_role_and_organisation_narrow_the_list(client, as_user, make_user, make_org):
    as_user("admin", username="boss")
    harbour = make_org(name="Harbour Outreach")
    make_user("trainer", username="tess", organisation_id=harbour.id)
    make_user("trainee", username="tom", organisation_id=harbour.id)
    make_user("trainer", username="tariq")
    assert listed(client, "?role=trainer") == ["tariq", "tess"]
    assert listed(client, f"?role=trainer&organisation={harbour.id}") == ["tess"]
    assert set(listed(client, "?organisation=none")) == {"boss", "tariq"}


def test_the_count_says_how_many_match(client, as_user, make_user):
    as_user("admin", username="boss")
    make_user("trainer", username="tess")
    page = client.get("/admin/users?role=trainer").get_data(as_text=True)
    assert "1 account matches" in page
    assert 'href="/admin/users">Show all accounts' in page


def test_nothing_found_says_so_in_the_users_language(client, as_user):
    as_user("admin", username="boss", language="fr")
    page = client.get("/admin/users?q=nobody").get_data(as_text=True)
    assert "<table" not in page
    assert "Aucun compte ne correspond." in page


def test_an_invalid_filter_is_explained_and_not_applied(client, as_user, make_user):
    as_user("admin", username="boss")
    make_user("trainer", username="tess")
    page = client.get("/admin/users?role=superuser&q=" + "x" * 41).get_data(as_text=True)
    assert page.count('class="error"') == 2
    assert set(re.findall(r'role="rowheader">([^<]+)<', page)) == {"boss", "tess"}


def test_the_pager_keeps_the_filters(client, as_user, make_user):
    as_user("admin", username="boss")
    for number in range(PAGE_SIZE + 1):
        make_user("trainer", username=f"team{number:02d}")
    make_user("trainee", username="team-trainee")
    first = client.get("/admin/users?q=team&role=trainer").get_data(as_text=True)
    assert "Page 1 of 2" in first
    next_link = re.search(r'href="([^"]+)">Next<', first).group(1).replace("&amp;", "&")
    assert set(next_link.split("?")[1].split("&")) == {"page=2", "q=team", "role=trainer"}
    assert listed(client, "?" + next_link.split("?")[1]) == ["team00"]
