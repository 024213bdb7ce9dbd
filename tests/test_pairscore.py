"""The fast paths of alignment's pair scores give what their plain definitions give."""

import math

import numpy as np

from storydiff.story._pairscore import WordRows, _overlap, _row_block_maxima


def test_row_block_maxima_are_reduceat_maxima():
    rng = np.random.default_rng(7)
    matrix = rng.standard_normal((40, 9)).astype(np.float32)
    # units of several rows, of one row, empty ones (a start not past the last) and clipped starts at the end
    for starts in ([0, 5, 6, 6, 20, 39], [0], [0, 3, 3, 3], [2, 10, 39, 39]):
        starts = np.array(starts)
        assert np.array_equal(_row_block_maxima(matrix, starts), np.maximum.reduceat(matrix, starts, axis=0))


def test_overlap_is_the_weighted_overlap_of_every_two_sets():
    left = [{"a", "b"}, set(), {"c"}, {"a", "b", "c", "d"}]
    right = [{"b"}, {"a", "b", "e"}, set(), {"d", "e"}]
    weight = {w: 1.0 + n / 3 for n, w in enumerate("abcde")}
    smooth = 1.5
    got = _overlap(WordRows(left), WordRows(right), weight, smooth)
    for i, l in enumerate(left):
        for j, r in enumerate(right):
            shared = l & r
            expected = sum(weight[w] for w in shared) / (min(sum(weight[w] for w in l), sum(weight[w] for w in r)) + smooth) if shared else 0.0
            assert math.isclose(got[i, j], expected, rel_tol=1e-6), (i, j)
    assert got.dtype == np.float32


def test_word_rows_count_shared_members():
    sets_a, sets_b = [{"x", "y"}, {"z"}], [{"y", "z"}, set(), {"x", "y", "z"}]
    assert WordRows(sets_a).shared(WordRows(sets_b)).tolist() == [[1, 0, 2], [1, 0, 1]]
    assert WordRows([]).shared(WordRows(sets_b)).shape == (0, 3)
