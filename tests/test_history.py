"""History: the one record of a training run, written only through its methods."""

import math

import pytest

from nndl_book.engine import History as EngineHistory
from nndl_book.engine.history import History as OldPathHistory
from nndl_book.history import History


def test_one_class_under_every_import_path():
    assert EngineHistory is History and OldPathHistory is History


def test_record_appends_and_tracks_the_best_epoch():
    h = History()
    assert h.record(1.0, 0.5, 2.0, 0.4) and h.record(0.8, 0.6, 1.5, 0.5)
    assert h.record(0.7, 0.7, 1.7, 0.6)
    assert h.epochs == 3 and h.best_epoch == 2  # lowest dev loss
    assert h.train_metric == [0.5, 0.6, 0.7] and h.dev_metric == [0.4, 0.5, 0.6]
    assert not h.diverged


@pytest.mark.parametrize("losses", [(math.nan, None), (math.inf, 1.0), (0.5, -math.inf)])
def test_record_is_where_divergence_is_decided(losses):
    h = History()
    h.record(1.0, None, 1.0 if losses[1] is not None else None)
    assert h.record(losses[0], 0.9, losses[1], 0.9) is False
    assert h.diverged_at == 2 and h.diverged
    assert h.epochs == 1 and h.train_metric == []  # the diverged epoch is not appended


def test_record_metric_appends_scores_of_earlier_epochs():
    h = History()
    for loss in (1.0, 0.9, 0.8):
        h.record(loss, None, loss + 0.1)
    h.record_metric("train", [0.5, 0.6])
    h.record_metric("train", (0.7,))
    h.record_metric("dev", [0.4, 0.5, 0.55])
    assert h.train_metric == [0.5, 0.6, 0.7] and h.dev_metric == [0.4, 0.5, 0.55]
    assert all(type(v) is float for v in h.train_metric)
    with pytest.raises(ValueError, match="split must be 'train' or 'dev'"):
        h.record_metric("test", [1.0])
