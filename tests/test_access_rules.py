"""Every route declares who may open it, and nobody who is not logged in gets past a non-public one."""
import pytest

from training.access import ACCESS


def rules(app):
    """Every URL rule but Flask's static files (public by nature)."""
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def sample_url(app, rule) -> str:
    """A URL for the rule with a made-up id for every argument (objects that do not exist)."""
    converters = rule._converters  # noqa: SLF001 - werkzeug has no public way to list a rule's converters
    values = {name: sorted(getattr(converters[name], "items", None) or [999999])[0] for name in rule.arguments}
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def test_every_route_declares_its_access_rule(app):
    undeclared = sorted(r.endpoint for r in rules(app) if not getattr(app.view_functions[r.endpoint], ACCESS, None))
    assert undeclared == []


def test_the_public_routes_are_the_ones_we_mean_to_be_public(app):
    public = {r.endpoint for r in rules(app) if getattr(app.view_functions[r.endpoint], ACCESS, None) == "public"}
    assert public == {
        "site.home", "site.language", "site.healthz", "auth.login", "auth.signup", "learn.handout", "learn.media",
        "verify.form", "verify.show", "responses.new", "responses.thanks", "cohorts.join",
    }


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_visitors_are_sent_to_log_in_on_every_other_route(app, client, method):
    for rule in rules(app):
        if getattr(app.view_functions[rule.endpoint], ACCESS) == "public" or method not in rule.methods:
            continue
        response = client.open(sample_url(app, rule), method=method)
        assert response.status_code == 302, (rule.endpoint, response.status_code)
        assert response.headers["Location"].startswith("/auth/login"), rule.endpoint
