"""The launch checks print the time of each slow step at the end of the session."""

from __future__ import annotations

from launchkit import TIMES


def pytest_terminal_summary(terminalreporter) -> None:
    if not TIMES:
        return
    terminalreporter.section("launch check times")
    for (check, step), seconds in TIMES.items():
        terminalreporter.write_line(f"{check:8s} {step:44s} {seconds:7.1f} s")
