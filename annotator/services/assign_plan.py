"""Who gets which document: the assignment algorithm, as plain data (no SQL).

``annotator assign`` streams the documents past this twice (see ``services.assign``):

1. ``Planner.settle`` decides, per document, what must stay: assignments already started
   (a status other than todo, or spans) are *protected*, unless their annotator is named by
   ``--reassign``; a team member who started a document without an assignment keeps it too;
   unstarted assignments of people outside the team go; a document over ``k`` drops its
   extra unstarted assignees. ``Planner.count`` adds up each member's load after that.
2. ``Planner.quotas`` shares the total work ``W`` (k per document, or everyone with
   ``--all``) out as evenly as whole numbers allow: ``W // m`` each, one more for the
   ``W % m`` members already carrying the most (so a re-run moves nothing).
3. ``Planner.decide`` walks the documents again, with each member's projected load (pass
   1's count, moved by every decision so far): an unstarted assignee above quota swaps
   with the member furthest below quota who is not on the document yet, then the document is
   filled up to ``k`` with the members furthest below quota.

Filling always picks the largest remaining deficits, so fresh assignments come out exactly
balanced (loads differ by at most 1); ties are broken by a hash of (seed, document uid,
annotator name), so pairs of annotators vary from document to document and the result
depends only on the seed and the data. Memory is O(team size), whatever the corpus size.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

_MASK = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15


def _hash64(*parts: str) -> int:
    return int.from_bytes(
        hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big"
    )


@dataclass
class DocState:
    """One document as stored: its assignees (annotator id -> started?) and the team members
    (by slot) who started it without an assignment."""

    document_id: int
    uid: str
    assigned: dict[int, bool] = field(default_factory=dict)
    started_unassigned: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Settled:
    protected: tuple[int, ...]  # team slots that stay whatever happens
    protected_new: tuple[int, ...]  # of those, started without an assignment (to be recorded)
    others: int  # protected assignees outside the team (count toward k)
    movable: tuple[int, ...]  # unstarted team assignees kept for now
    drops: tuple[int, ...]  # annotator ids whose assignment goes


@dataclass(frozen=True)
class Decision:
    adds: tuple[int, ...]  # team slots newly assigned
    drops: tuple[int, ...]  # annotator ids unassigned
    overflow: int  # members given the document beyond their quota (nobody else could take it)


_UNTOUCHED = Settled((), (), 0, (), ())


class Planner:
    """The decisions for one ``assign`` run; ``slot_ids`` maps a member's slot to its annotator
    id (None for a name not in the database yet)."""

    def __init__(
        self,
        names: list[str],
        slot_ids: list[int | None],
        *,
        k: int | None,
        seed: int,
        reassign: frozenset[int] | set[int] = frozenset(),
    ) -> None:
        if not names:
            raise ValueError("an assignment needs at least one annotator")
        self.names = names
        self.m = len(names)
        self.k = self.m if k is None else k
        if not 1 <= self.k <= self.m:
            raise ValueError(f"each document needs between 1 and {self.m} annotators, got {self.k}")
        self.seed = str(seed)
        self.slot_of = {aid: slot for slot, aid in enumerate(slot_ids) if aid is not None}
        self.id_of = list(slot_ids)
        self.reassign = set(reassign)
        self.name_hash = [_hash64("name", name) for name in names]
        self.loads = [0] * self.m  # pass 1: after settling; pass 2: as decided so far
        self.work = 0
        self.quota: list[int] = []

    # ------------------------------------------------------------------ ties

    def _keys(self, uid: str) -> list[int]:
        h = _hash64(self.seed, uid)
        return [((h ^ nh) * _MIX) & _MASK for nh in self.name_hash]

    # ------------------------------------------------------------------ pass 1

    def settle(self, doc: DocState, keys: list[int] | None = None) -> Settled:
        """(Order inside the tuples carries no meaning: ``decide`` orders by load and hash.)"""
        if not doc.assigned and not doc.started_unassigned:
            return _UNTOUCHED
        protected: list[int] = []
        movable: list[int] = []
        drops: list[int] = []
        others = 0
        slot_of, reassign = self.slot_of, self.reassign
        for aid, started in doc.assigned.items():
            slot = slot_of.get(aid)
            if started and aid not in reassign:
                if slot is None:
                    others += 1
                else:
                    protected.append(slot)
            elif slot is None:
                drops.append(aid)
            else:
                movable.append(slot)
        protected_new: tuple[int, ...] = ()
        if doc.started_unassigned:
            new = [
                s
                for s in doc.started_unassigned
                if s not in protected and s not in movable and self.id_of[s] not in reassign
            ]
            protected.extend(new)
            protected_new = tuple(new)
        room = max(0, self.k - len(protected) - others)
        if len(movable) > room:
            keys = keys or self._keys(doc.uid)
            movable.sort(key=lambda s: keys[s], reverse=True)
            drops.extend(self.id_of[s] for s in movable[room:])  # type: ignore[misc]
            movable = movable[:room]
        return Settled(tuple(protected), protected_new, others, tuple(movable), tuple(drops))

    def _id(self, slot: int) -> int | None:
        return self.id_of[slot]

    def count(self, settled: Settled) -> None:
        """Pass 1: add one settled document to the loads and the total work."""
        for slot in (*settled.protected, *settled.movable):
            self.loads[slot] += 1
        self.work += max(len(settled.protected), self.k - settled.others)

    def count_fresh(self, documents: int) -> None:
        """Pass 1 for ``documents`` nobody has touched (no assignment, nothing started): k places each."""
        self.work += documents * self.k

    def quotas(self) -> list[int]:
        """Each member's share of the work: even, the remainder to those already carrying most."""
        base, extra = divmod(self.work, self.m)
        order = sorted(range(self.m), key=lambda s: (-self.loads[s], self.name_hash[s]))
        self.quota = [base] * self.m
        for slot in order[:extra]:
            self.quota[slot] += 1
        return self.quota

    # ------------------------------------------------------------------ pass 2

    def decide(self, doc: DocState) -> Decision:
        """Pass 2 (after ``start_pass_two``): ``loads`` are the projected totals, starting from
        pass 1's and moved by every swap and fill decided so far."""
        keys = self._keys(doc.uid)
        settled = self.settle(doc, keys)
        members = set(settled.protected) | set(settled.movable)
        adds = list(settled.protected_new)
        drops = list(settled.drops)
        load, quota = self.loads, self.quota
        for slot in sorted(settled.movable, key=lambda s: (quota[s] - load[s], -keys[s])):
            if load[slot] <= quota[slot]:
                break
            takers = [b for b in range(self.m) if b not in members and load[b] < quota[b]]
            if not takers:
                break
            taker = max(takers, key=lambda b: (quota[b] - load[b], keys[b]))
            members.discard(slot)
            members.add(taker)
            load[slot] -= 1
            load[taker] += 1
            adds.append(taker)
            drops.append(self._id(slot))  # type: ignore[arg-type]
        need = self.k - len(members) - settled.others
        overflow = 0
        if need > 0:
            free = sorted(
                (b for b in range(self.m) if b not in members),
                key=lambda b: (quota[b] - load[b], keys[b]),
                reverse=True,
            )
            for taker in free[:need]:
                overflow += load[taker] >= quota[taker]
                members.add(taker)
                load[taker] += 1
                adds.append(taker)
        return Decision(tuple(adds), tuple(d for d in drops if d is not None), overflow)

    def start_pass_two(self) -> None:
        self.quotas()
