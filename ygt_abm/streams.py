"""Named random streams: one independent generator per stochastic decision.

A stream is addressed by (seed, replicate, name[, week]). Because every decision draws from its own
stream, a policy that changes how many draws one decision makes never reshuffles the draws of another,
and two scenarios run with the same seed share population, geography and illness onsets (common random
numbers). Weekly decisions use a fresh stream per week, so a difference in one week cannot shift the
random numbers of every later week. The decisions taken per episode in a week's care are drawn from keyed
streams instead (``key``; drawn by ``state/episodes.py``): episode i's number is a function of the key and i
alone, so only the episodes a decision concerns are drawn for, and an episode meets the same number in every
scenario whichever other episodes are still open. There is no global random state anywhere in ygt_abm.
"""

from __future__ import annotations

import zlib

import numpy as np


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every process (unlike Python's salted ``hash``)."""
    return zlib.crc32(text.encode("utf-8"))


#: Marks the spawn-key word that names a county run on its own, apart from any stream-name hash.
_COUNTY_WORD = 0xC0C0_0000
#: Marks a keyed stream's spawn key, so that it never shares its seed with a generator of the same name.
_KEYED_WORD = 0x4B45_5900


def _words(n: int) -> list[int]:
    """A non-negative integer's 32-bit words, least significant first (one word for 0), as SeedSequence reads it."""
    words = [n & 0xFFFF_FFFF]
    n >>= 32
    while n:
        words.append(n & 0xFFFF_FFFF)
        n >>= 32
    return words


class Streams:
    """Factory of named, reproducible random generators for one run.

    ``county``: the run is county ``county`` of a larger region, run on its own; its streams are then
    its own, so counties run in parallel are independent, while every scenario still shares them."""

    def __init__(self, seed: int, replicate: int = 0, county: int | None = None) -> None:
        if seed < 0 or replicate < 0 or (county is not None and county < 0):
            raise ValueError("seed, replicate and county must be non-negative integers")
        self.seed = int(seed)
        self.replicate = int(replicate)
        self._prefix = (self.replicate,) if county is None else (self.replicate, self.county_word(county))
        # what SeedSequence(seed, spawn_key=(*prefix, …)) hashes first: the seed's 32-bit words, at least 4
        # (zeros after them), then the prefix's; a keyed stream's key hashes its own words after these
        seed_words = _words(self.seed)
        self._key_entropy = seed_words + [0] * (4 - len(seed_words)) + [w for v in self._prefix for w in _words(v)]

    @staticmethod
    def county_word(county: int) -> int:
        """The spawn-key word of a county run on its own (after the replicate)."""
        return _COUNTY_WORD + int(county)

    def _sequence(self, name: str, *key: int) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.seed, spawn_key=(*self._prefix, stable_hash(name), *key))

    def get(self, name: str) -> np.random.Generator:
        """A generator for a decision taken once per run (e.g. ``"population"``)."""
        return np.random.Generator(np.random.PCG64(self._sequence(name)))

    def weekly(self, name: str, week: int) -> np.random.Generator:
        """A generator for decision ``name`` in simulated week ``week``."""
        return np.random.Generator(np.random.PCG64(self._sequence(name, int(week))))

    def key(self, name: str, week: int) -> int:
        """The 64-bit key of keyed stream ``name`` in simulated week ``week`` (``state/episodes.keyed_uniforms``):
        ``SeedSequence(seed, spawn_key=(replicate[, county word], stable_hash(name), week, keyed word))``'s first
        64-bit word, computed by a compiled copy of its hashing (a dozen keys a week, each 20 µs through numpy's
        SeedSequence object)."""
        from ygt_abm.state.episodes import seed_sequence_word  # compiled: loaded by the model, not by config checks

        words = [*self._key_entropy, *_words(stable_hash(name)), *_words(int(week)), *_words(_KEYED_WORD)]
        return int(seed_sequence_word(np.array(words, dtype=np.uint64)))

    def yearly(self, name: str, year: int) -> np.random.Generator:
        """A generator for decision ``name`` in simulated year ``year`` (career events, …)."""
        return np.random.Generator(np.random.PCG64(self._sequence(name, 1_000_000 + int(year))))
