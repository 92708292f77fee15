"""The statistics module against hand-worked values, statsmodels as an oracle, and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from app.results import statistics as stats


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [(8, 10, 0.4902, 0.9433), (0, 20, 0.0, 0.1611), (10, 10, 0.7225, 1.0)],
)
def test_wilson_hand_worked(k, n, low, high):
    assert stats.wilson(k, n) == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2", "low", "high", "call"),
    [
        (56, 70, 48, 80, 0.0524, 0.3339, "improved"),
        (9, 10, 3, 10, 0.1705, 0.8090, "improved"),
        (6, 7, 2, 7, 0.0582, 0.8062, "improved"),
        (5, 56, 0, 29, -0.0381, 0.1926, "no_clear_change"),
        (10, 10, 0, 20, 0.6791, 1.0, "improved"),
    ],
)
def test_newcombe_hand_worked(k1, n1, k2, n2, low, high, call):
    assert stats.newcombe(k1, n1, k2, n2) == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))
    later, earlier = stats.rate(k1, n1, 5), stats.rate(k2, n2, 5)
    shown = stats.change(later, earlier)
    assert shown["call"] == call
    assert (shown["ci_low"], shown["ci_high"]) == (
        pytest.approx(low, abs=1e-4),
        pytest.approx(high, abs=1e-4),
    )


def test_a_decline_is_called_when_the_interval_is_below_zero():
    assert stats.change(stats.rate(48, 80, 5), stats.rate(56, 70, 5))["call"] == "declined"


def test_the_rate_shape_of_spec_section_4():
    assert stats.rate(8, 10, 5) == {
        "k": 8,
        "n": 10,
        "value": 0.8,
        "ci_low": 0.4902,
        "ci_high": 0.9433,
        "small_sample": False,
    }


def test_small_sample_flag_is_under_the_programme_minimum():
    assert stats.rate(3, 4, 5)["small_sample"] is True
    assert stats.rate(3, 5, 5)["small_sample"] is False
    assert stats.rate(3, 5, 6)["small_sample"] is True


def test_no_sample_has_no_value_and_no_change():
    empty = stats.rate(0, 0, 5)
    assert empty["value"] is None and empty["small_sample"] is True
    assert stats.change(stats.rate(1, 2, 5), empty) is None


def test_mean_with_its_interval():
    shown = stats.mean(total=6.0, squares=14.0, n=3, min_sample=5)  # 1, 2, 3
    assert shown["mean"] == 2.0 and shown["small_sample"] is True
    assert shown["ci_low"] == pytest.approx(2 - 1.96 * 1 / 3**0.5, abs=1e-3)


counts = st.integers(min_value=1, max_value=2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@given(counts)
def test_wilson_matches_statsmodels(sample):
    k, n = sample
    expected = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert stats.wilson(k, n) == (pytest.approx(expected[0], abs=1e-9), pytest.approx(expected[1], abs=1e-9))


@given(counts, counts)
def test_newcombe_matches_statsmodels(first, second):
    (k1, n1), (k2, n2) = first, second
    expected = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=0.05)
    low, high = stats.newcombe(k1, n1, k2, n2)
    assert low == pytest.approx(expected[0], abs=1e-9)
    assert high == pytest.approx(expected[1], abs=1e-9)


@given(counts)
def test_every_rate_interval_contains_its_estimate_within_0_and_1(sample):
    k, n = sample
    low, high = stats.wilson(k, n)
    assert 0 <= low <= k / n <= high <= 1


@given(counts, counts)
def test_every_difference_interval_contains_its_estimate_within_minus_1_and_1(first, second):
    (k1, n1), (k2, n2) = first, second
    low, high = stats.newcombe(k1, n1, k2, n2)
    assert -1 <= low <= k1 / n1 - k2 / n2 <= high <= 1
