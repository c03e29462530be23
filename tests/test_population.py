import numpy as np
import pytest

from ygt_abm.config.params import PopulationParams
from ygt_abm.state.population import synthesize_population


@pytest.fixture(scope="module")
def population(small_region):
    return synthesize_population(small_region, PopulationParams(), np.array([0.8, 0.85, 0.9, 0.95]),
                                 np.random.default_rng(0))


def test_every_resident_lives_in_a_village_of_the_region(population, small_region):
    assert population.size == small_region.population
    assert np.array_equal(np.bincount(population.village, minlength=small_region.n_villages),
                          small_region.village_population)
    assert np.array_equal(population.county, small_region.village_county[population.village])


def test_attributes_follow_the_configured_shares(population):
    params = PopulationParams()
    shares = np.bincount(population.age_band, minlength=4) / population.size
    assert shares == pytest.approx(params.age_band_shares.array(), abs=0.01)
    assert population.insured.mean() == pytest.approx(params.insured_share, abs=0.01)
    assert population.family_doctor.mean() == pytest.approx(0.35, abs=0.05)  # the national ≈35%
    older = population.age_band == 3
    hypertensive = (population.chronic & 1) > 0
    assert hypertensive[older].mean() == pytest.approx(params.hypertension_prevalence.age_65_plus, abs=0.03)
    assert not population.has_chronic[population.age_band == 0].any()


def test_contracted_residents_have_the_village_clinic_as_usual_provider(population):
    assert (population.usual_level[population.family_doctor] == 0).all()
    assert set(np.unique(population.usual_level)) <= {-1, 0, 1, 2, 3}


def test_beliefs_start_near_the_given_quality(population):
    assert population.belief.dtype == np.float32
    assert population.belief.mean(axis=0) == pytest.approx([0.8, 0.85, 0.9, 0.95], abs=0.01)


def test_a_person_view_shows_one_resident_and_cannot_change_them(population):
    person = population.person(5)
    info = person.as_dict()
    assert info["index"] == 5 and set(info["beliefs"]) == {"village", "township", "county", "city"}
    with pytest.raises(AttributeError):
        person.insured = False
    with pytest.raises(IndexError):
        population.person(population.size)


def test_residents_are_arrays_of_a_few_dozen_bytes(population):
    assert population.nbytes() / population.size < 40


def test_starting_beliefs_drawn_in_chunks_are_the_draws_of_one_call(small_region, monkeypatch):
    """Chunks bound the memory the float64 noise takes, never the numbers: any chunk size gives the same bytes."""
    from ygt_abm.state import population as module

    def beliefs(chunk):
        monkeypatch.setattr(module, "BELIEF_CHUNK", chunk)
        return synthesize_population(small_region, PopulationParams(), np.array([0.5, 0.6, 0.8, 0.9]),
                                     np.random.default_rng(3)).belief

    whole = beliefs(10**9)
    assert whole.dtype == np.float32 and beliefs(1000).tobytes() == beliefs(7).tobytes() == whole.tobytes()
