"""The fast lane (``nox -s unit``, ``-m "not browser"``) really leaves out the slow tests."""

from __future__ import annotations

from .conftest import BROWSER_PATHS, HERE


def test_every_path_marked_browser_exists():
    # a renamed file would silently drop out of the browser lane into the fast one
    missing = [where for where in BROWSER_PATHS if not (HERE / where).exists()]
    assert missing == []


def test_this_test_is_in_the_fast_lane(request):
    assert request.node.get_closest_marker("browser") is None


def test_chromium_tests_collected_with_this_one_are_in_the_browser_lane(request):
    items = [item for item in request.session.items if "run_js" in getattr(item, "fixturenames", ())]
    # under -m "not browser" they were deselected before they could start Chromium
    assert [item.nodeid for item in items if not item.get_closest_marker("browser")] == []
