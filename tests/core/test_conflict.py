"""Conflict.check_version: the one stale-version error of the services."""

from types import SimpleNamespace

import pytest

from annotator.core.errors import Conflict


def test_a_stale_version_is_a_conflict_naming_both_versions():
    """Version 3 sent, 4 stored: 409 with both numbers, the field and what is stored now."""
    row = SimpleNamespace(version=4)
    with pytest.raises(Conflict) as caught:
        Conflict.check_version(row, 3, noun="link", current={"id": 7, "version": 4})
    error = caught.value
    assert error.status_code == 409
    assert error.message == "This link was changed elsewhere (you had version 3, it is now 4)."
    assert error.errors == {"version": ["Stale version 3; current is 4."]}
    assert error.current == {"id": 7, "version": 4}


def test_the_current_version_or_none_passes():
    """The stored version, or None (the caller did not ask), raises nothing."""
    row = SimpleNamespace(version=4)
    assert Conflict.check_version(row, 4, noun="link", current={}) is None
    assert Conflict.check_version(row, None, noun="link", current={}) is None


def test_a_snapshot_callable_is_built_only_for_the_conflict():
    """The write paths pass a callable: a current version never builds the snapshot."""
    row = SimpleNamespace(version=4)
    built = []

    def snapshot():
        built.append(1)
        return {"id": 7, "version": 4}

    Conflict.check_version(row, 4, noun="span", current=snapshot)
    assert built == []
    with pytest.raises(Conflict) as caught:
        Conflict.check_version(row, 2, noun="span", current=snapshot)
    assert (built, caught.value.current) == ([1], {"id": 7, "version": 4})
