"""Tests of the emulator package's own structure."""
