"""Where things are: the checkout, the peer files, the PostgreSQL server the suite may use."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Real files published by other tools' maintainers, copied byte for byte from shared/peer-formats
# (provenance and licences in tests/data/peer-formats/SOURCES.md), so any clone can run the suite.
PEER = REPO / "tests" / "data" / "peer-formats"
# A server we may create databases on (.ci/run starts one); empty: the PostgreSQL cases skip
PG_URL = os.environ.get("ANNOTATOR_TEST_PG_URL", "")
