"""The peer-format samples in tests/data are byte-for-byte copies of shared/peer-formats."""

from __future__ import annotations

import hashlib

import pytest
from support.paths import PEER, REPO


def _digests(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_samples_are_present_with_their_provenance():
    assert (PEER / "SOURCES.md").is_file()
    assert len(_digests(PEER)) >= 70


def test_samples_are_unmodified_copies_of_shared():
    shared = REPO.parent / "shared" / "peer-formats"
    if not shared.is_dir():
        pytest.skip("shared/peer-formats is not beside this checkout; nothing to compare with")
    assert _digests(PEER) == _digests(shared)
