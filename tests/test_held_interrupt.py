"""Ctrl+C during an import's commit waits for the commit and its count (services/importing/held_interrupt.py)."""

from __future__ import annotations

import os
import signal

import pytest

from annotator.services.importing.held_interrupt import interrupts_held


def test_a_sigint_inside_the_block_is_raised_when_the_block_ends():
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)  # delivered now, to this (the main) thread
            steps.append("committed")
            steps.append("counted")
    assert steps == ["committed", "counted"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


def test_no_sigint_means_no_interrupt_and_the_handler_is_restored():
    with interrupts_held():
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_error_inside_the_block_propagates_and_restores_the_handler():
    with pytest.raises(ValueError):
        with interrupts_held():
            raise ValueError("the database refused the write")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
