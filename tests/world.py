"""The test municipality of the project's own tests: the shipped test kit's
(:mod:`core.testkit.world`), which outside plugin packages use too."""

from core.testkit.world import IBAN, IBAN2, PASSWORD, World, make_world

__all__ = ["IBAN", "IBAN2", "PASSWORD", "World", "make_world"]
