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

import numba
import numpy as np


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every process (unlike Python's salted ``hash``)."""
    return zlib.crc32(text.encode("utf-8"))


#: Marks the spawn-key word that names a county run on its own, apart from any stream-name hash.
_COUNTY_WORD = 0xC0C0_0000
#: Marks a keyed stream's spawn key, so that it never shares its seed with a generator of the same name.
_KEYED_WORD = 0x4B45_5900


_MASK32 = np.uint64(0xFFFF_FFFF)
_HASH_A, _MULT_A = np.uint64(0x43B0_D7E5), np.uint64(0x931E_8875)
_HASH_B, _MULT_B = np.uint64(0x8B51_F9DD), np.uint64(0x58F3_8DED)
_MIX_L, _MIX_R, _S16, _S32 = np.uint64(0xCA01_F9DD), np.uint64(0x4973_F715), np.uint64(16), np.uint64(32)


@numba.njit(cache=True, nogil=True, inline="always")
def _hashmix(value: np.uint64, const: np.uint64) -> tuple[np.uint64, np.uint64]:
    # SeedSequence's hashmix on 32-bit words held in 64 bits: (hashed value, next hash constant)
    value ^= const
    const = (const * _MULT_A) & _MASK32
    value = (value * const) & _MASK32
    return value ^ (value >> _S16), const


@numba.njit(cache=True, nogil=True, inline="always")
def _mix(x: np.uint64, y: np.uint64) -> np.uint64:
    result = (_MIX_L * x - _MIX_R * y) & _MASK32
    return result ^ (result >> _S16)


@numba.njit(cache=True, nogil=True)
def seed_sequence_word(entropy: np.ndarray) -> np.uint64:
    """``np.random.SeedSequence``'s ``generate_state(1, np.uint64)[0]`` for its assembled entropy ``entropy`` (32-bit
    words, as uint64: the seed's words padded with zeros to 4, then the spawn key's): numpy's algorithm (a pool of
    4 words mixed by hashmix, then hashed out) step for step, without building the object."""
    pool = np.zeros(4, dtype=np.uint64)
    const = _HASH_A
    for i in range(4):
        pool[i], const = _hashmix(entropy[i] if i < len(entropy) else np.uint64(0), const)
    for src in range(4):
        for dst in range(4):
            if src != dst:
                hashed, const = _hashmix(pool[src], const)
                pool[dst] = _mix(pool[dst], hashed)
    for src in range(4, len(entropy)):
        for dst in range(4):
            hashed, const = _hashmix(entropy[src], const)
            pool[dst] = _mix(pool[dst], hashed)
    const, word = _HASH_B, np.uint64(0)
    for i in range(2):  # two 32-bit words, little-endian, make the 64-bit word
        value = pool[i] ^ const
        const = (const * _MULT_B) & _MASK32
        value = (value * const) & _MASK32
        word |= (value ^ (value >> _S16)) << (_S32 * np.uint64(i))
    return word


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
        words = [*self._key_entropy, *_words(stable_hash(name)), *_words(int(week)), *_words(_KEYED_WORD)]
        return int(seed_sequence_word(np.array(words, dtype=np.uint64)))

    def yearly(self, name: str, year: int) -> np.random.Generator:
        """A generator for decision ``name`` in simulated year ``year`` (career events, …)."""
        return np.random.Generator(np.random.PCG64(self._sequence(name, 1_000_000 + int(year))))
