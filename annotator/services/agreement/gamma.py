"""γ (gamma, Mathet, Widlöcher & Métivier 2015) beside α_u, through the optional ``pygamma-agreement``.

γ aligns units across annotators (each unit with at most one of each other annotator's, or with nothing)
and weighs both positional and categorical dissimilarity, so it tolerates split or merged spans and
overlapping units of one label better than α_u. It is sampled (the expected disorder comes from random
continua), so it is slower and varies slightly; the sampler is seeded here so a run repeats.

The continuum is the one α_u overall uses: the documents every compared annotator took part in, end to
end in code points. Install with ``pip install 'annotator[gamma]'``.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.services.agreement.load import DocData

PACKAGE = "pygamma_agreement"
SEED = 20150901  # the sampler's seed: the same data gives the same γ


def available() -> bool:
    """Is the optional γ package installed?"""
    return importlib.util.find_spec(PACKAGE) is not None


@dataclass(frozen=True, slots=True)
class GammaResult:
    gamma: float | None  # None: nothing to align (fewer than two annotators with units)
    documents: int
    units: int


def gamma(annotators: Sequence[str], documents: Iterable[DocData], *, samples: int = 30) -> GammaResult:
    """γ with the combined categorical dissimilarity (α = β = 1, the package's default weighting)."""
    import numpy as np

    gamma_pkg: Any = importlib.import_module(PACKAGE)
    segment: Any = importlib.import_module("pyannote.core").Segment
    continuum = gamma_pkg.Continuum()
    everyone = set(annotators)
    offset = documents_used = units = 0
    for doc in documents:
        if not everyone <= set(doc.annotators):
            continue
        documents_used += 1
        for name in annotators:
            for span in doc.spans.get(name, []):
                if span.end > span.start:
                    continuum.add(name, segment(offset + span.start, offset + span.end), span.label)
                    units += 1
        offset += len(doc.text)
    coders_with_units = sum(1 for name in annotators if name in continuum.annotators)
    if coders_with_units < 2 or units < 2:
        return GammaResult(None, documents_used, units)
    quiet = logging.getLogger()
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "CBC solver not installed. Using GLPK." on every alignment
    try:
        np.random.seed(SEED)
        dissimilarity = gamma_pkg.CombinedCategoricalDissimilarity(alpha=1, beta=1)
        result = continuum.compute_gamma(dissimilarity, n_samples=samples)
    finally:
        quiet.setLevel(level)
    value = float(result.gamma)
    return GammaResult(round(value, 6) if np.isfinite(value) else None, documents_used, units)
