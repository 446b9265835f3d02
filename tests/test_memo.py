"""The bounded memories shared by the modules that remember work (``_memo``)."""

from __future__ import annotations

from lnunemp_rules._memo import OwnerMemos, remember


def test_a_full_memory_is_emptied_before_the_next_entry() -> None:
    memo: dict[int, str] = {}
    for n in range(3):
        assert remember(memo, n, str(n), 3) == str(n)
    assert memo == {0: "0", 1: "1", 2: "2"}
    remember(memo, 3, "3", 3)
    assert memo == {3: "3"}


class _Owner:
    pass


def test_each_owner_has_its_own_memory_and_a_new_object_never_gets_an_old_one() -> None:
    memos: OwnerMemos[str, int] = OwnerMemos(2)
    first, second = _Owner(), _Owner()
    memos.of(first)["k"] = 1
    assert memos.of(first) == {"k": 1} and memos.of(second) == {}
    ids = set()
    for _ in range(50):  # objects made and dropped: ids are reused, memories are not
        owner = _Owner()
        ids.add(id(owner))
        assert memos.of(owner) == {}
        memos.of(owner)["k"] = 2
    assert len(ids) < 50


def test_at_most_max_owners_are_kept() -> None:
    memos: OwnerMemos[str, int] = OwnerMemos(2)
    owners = [_Owner() for _ in range(3)]
    for n, owner in enumerate(owners):
        memos.of(owner)["n"] = n
    assert memos.of(owners[2]) == {"n": 2}
    assert memos.of(owners[0]) == {}  # emptied when the third owner came
