"""The cold-start GC pause: collection paused inside, objects frozen after, the previous state restored."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from lambdas.start_chat.gc_pause import long_lived_objects

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _restore_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_collection_is_paused_inside_and_resumed_after() -> None:
    gc.enable()
    with long_lived_objects():
        assert not gc.isenabled()
    assert gc.isenabled()


def tracked_ids() -> set[int]:
    """Ids of the objects the collector still examines (frozen ones are in no generation)."""
    return {id(obj) for obj in gc.get_objects()}


def test_objects_created_inside_are_frozen_and_later_ones_are_not() -> None:
    # Given a collector with nothing frozen
    gc.unfreeze()

    # When objects are created inside the block, and others after it
    with long_lived_objects():
        created = [["long-lived"] for _ in range(10)]
    later = [["short-lived"] for _ in range(10)]

    # Then the block's objects are out of every collection, the later ones are not
    # (lists: always tracked by the collector, unlike dicts of strings)
    assert all(gc.is_tracked(obj) for obj in [created, *created, later, *later])
    tracked = tracked_ids()
    assert not any(id(obj) in tracked for obj in [created, *created])
    assert all(id(obj) in tracked for obj in [later, *later])


def test_collection_is_resumed_when_the_block_raises() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), long_lived_objects():
        raise RuntimeError("import failed")
    assert gc.isenabled()


def test_a_collector_disabled_by_someone_else_stays_disabled() -> None:
    gc.disable()
    with long_lived_objects():
        pass
    assert not gc.isenabled()


def test_the_handler_leaves_the_collector_enabled() -> None:
    from lambdas.start_chat import handler  # noqa: F401  (imported for its import-time effect)

    assert gc.isenabled()
