"""Shredding a person's name out of the postings without breaking the chain.

A v2 posting's digest commits to salted hashes of its description and reason (canonical.py), so
the texts can be replaced by a pseudonym and the salt destroyed: the chain, the published digests
and the public script still verify, and nobody can test a guessed name against the kept hash.
`verify_ledger` counts such postings as shredded (their new text can no longer be checked).

A v1 posting (written before posting-v2) commits to its text itself: replacing a name there would
break the chain and contradict the digests already published.  Those postings are left as they
are and reported, so that the data-subject request can explain it (decision recorded in
nhandao/funds/README.md): the name stays in the internal books, visible only to roles with
funds.view, and is never published (the portal shows no posting text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import Posting


@dataclass
class Redaction:
    shredded: list[int] = field(default_factory=list)  # v2 postings whose texts were replaced
    kept_v1: list[int] = field(default_factory=list)  # v1 postings that still carry a name


def _pattern(names: Iterable[str]) -> re.Pattern | None:
    # Longest first, so "Nguyễn Thị Mai Anh" goes before "Nguyễn Thị Mai".
    words = sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def with_reversals(posting_ids: Iterable[int]) -> set[int]:
    """The postings and every posting reversing them (a reversal copies the description)."""
    ids = set(posting_ids)
    frontier = set(ids)
    while frontier:
        frontier = set(Posting.objects.filter(reverses_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return ids


def redact(*, posting_ids: Iterable[int], names: Iterable[str], replacement: str) -> Redaction:
    """Replace `names` by `replacement` in the texts of these postings (and their reversals).

    Must run inside the shredding transaction."""
    result = Redaction()
    pattern = _pattern(names)
    if pattern is None:
        return result
    rows = (
        Posting.objects.filter(pk__in=with_reversals(posting_ids))
        .order_by("pk")
        .values_list("pk", "canonical_version", "description", "reason")
    )
    for pk, version, description, reason in rows:
        new_description = pattern.sub(replacement, description)
        new_reason = pattern.sub(replacement, reason)
        if (new_description, new_reason) == (description, reason):
            continue
        if version >= 2:
            Posting.objects.filter(pk=pk).shred_texts(description=new_description, reason=new_reason)
            result.shredded.append(pk)
        else:
            result.kept_v1.append(pk)
    return result
