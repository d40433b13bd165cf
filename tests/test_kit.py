"""The scene kit's pacing of stepped changes: quick changes stay short, travels fill the gap."""

import pytest

from lessonreel.kit import CHANGE_SECONDS, CHANGE_SHARE, TRAVEL_SECONDS, phase_times


def test_a_fixed_run_time_is_kept_for_every_phase():
    assert phase_times([False, True], 1.1, within=9.0) == [1.1, 1.1]


def test_quick_changes_are_capped_however_long_the_gap():
    assert phase_times([False, False], None, within=30.0) == [CHANGE_SECONDS[1]] * 2


def test_a_travel_takes_what_the_quick_phases_leave():
    quick, move, quick_again = phase_times([False, True, False], None, within=6.0)
    assert quick == quick_again == CHANGE_SECONDS[1]
    assert move == pytest.approx(CHANGE_SHARE * 6.0 - 2 * CHANGE_SECONDS[1], abs=0.001)
    assert 2 * quick + move <= 6.0  # the change ends before the next beat is due


def test_a_travel_never_drags_and_never_blurs():
    assert phase_times([True], None, within=60.0) == [TRAVEL_SECONDS[1]]
    assert phase_times([True], None, within=0.5) == [TRAVEL_SECONDS[0]]


def test_a_short_gap_shares_the_budget_evenly():
    assert phase_times([False, False, False], None, within=3.0) == [round(CHANGE_SHARE, 3)] * 3
    assert phase_times([False, False, False], None, within=1.0) == [CHANGE_SECONDS[0]] * 3
