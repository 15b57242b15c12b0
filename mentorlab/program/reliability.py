"""Scale reliability of the simulated (or recorded) questionnaires."""

from __future__ import annotations

import numpy as np
import pandas as pd


def item_matrix(surveys: pd.DataFrame, instrument: str, wave: str, people=None) -> pd.DataFrame:
    """People x items responses of one instrument at one wave (complete answers only)."""
    rows = surveys[(surveys["instrument"] == instrument) & (surveys["wave"] == wave)]
    if people is not None:
        rows = rows[rows["person_id"].isin(people)]
    return rows.pivot_table(
        index="person_id", columns="item", values="response", aggfunc="first"
    ).dropna()


def cronbach_alpha_items(surveys: pd.DataFrame, instrument: str, wave: str, people=None) -> float:
    """Cronbach's alpha of one instrument at one wave (pingouin), NaN when too few answers."""
    import pingouin as pg

    items = item_matrix(surveys, instrument, wave, people)
    if len(items) < 3 or items.shape[1] < 2:
        return float("nan")
    alpha, _ = pg.cronbach_alpha(data=items)
    return float(alpha) if np.isfinite(alpha) else float("nan")
