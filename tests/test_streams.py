from ygt_abm.streams import Streams, stable_hash


def test_the_same_address_gives_the_same_draws():
    assert (Streams(1, 2).get("onset").random(5) == Streams(1, 2).get("onset").random(5)).all()
    assert (Streams(1, 2).weekly("choice", 7).random(5) == Streams(1, 2).weekly("choice", 7).random(5)).all()


def test_names_weeks_replicates_and_seeds_are_independent_streams():
    base = Streams(1, 0).weekly("choice", 3).random(4)
    for other in (Streams(1, 0).weekly("onset", 3), Streams(1, 0).weekly("choice", 4),
                  Streams(1, 1).weekly("choice", 3), Streams(2, 0).weekly("choice", 3),
                  Streams(1, 0).yearly("choice", 3)):
        assert not (other.random(4) == base).any()


def test_stable_hash_does_not_depend_on_the_process():
    assert stable_hash("onset") == 535587711  # crc32: the same in every process and release
    assert stable_hash("onset") != stable_hash("choice")


def test_a_county_run_alone_has_streams_of_its_own_shared_by_every_scenario():
    whole = Streams(1, 0).weekly("onset", 3).random(4)
    county0 = Streams(1, 0, county=0).weekly("onset", 3).random(4)
    county1 = Streams(1, 0, county=1).weekly("onset", 3).random(4)
    assert not (county0 == whole).any() and not (county0 == county1).any()
    assert (Streams(1, 0, county=1).weekly("onset", 3).random(4) == county1).all()


def test_a_keyed_stream_s_key_is_fixed_by_its_address_and_apart_from_its_generator():
    key = Streams(1, 2).key("choice", 7)
    assert key == Streams(1, 2).key("choice", 7) and 0 <= key < 2**64
    others = {Streams(1, 2).key("treatment", 7), Streams(1, 2).key("choice", 8), Streams(1, 3).key("choice", 7),
              Streams(2, 2).key("choice", 7), int(Streams(1, 2).weekly("choice", 7).integers(2**63))}
    assert key not in others and len(others) == 5


def test_a_keyed_stream_s_key_is_numpy_s_seed_sequence_word():
    import numpy as np

    rng = np.random.default_rng(2)
    for seed in (0, 7, 2**32 - 1, 2**32, 2**63 + 11, 2**130 + 5, *rng.integers(0, 2**62, 20).tolist()):
        for replicate, county in ((0, None), (3, None), (1, 0), (2**33, 5)):
            streams = Streams(seed, replicate, county)
            prefix = (replicate,) if county is None else (replicate, Streams.county_word(county))
            for name, week in (("choice", 0), ("treatment", 51), ("onset", 2**31 + 3)):
                expected = np.random.SeedSequence(seed, spawn_key=(*prefix, stable_hash(name), week, 0x4B45_5900))
                assert streams.key(name, week) == int(expected.generate_state(1, np.uint64)[0])
