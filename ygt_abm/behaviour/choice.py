"""Care-seeking choice: a multinomial logit over the options a resident can reach.

Column 0 of every utility matrix is self-care (no visit); columns 1…K are the village's facility options
in the order of ``Region.options``. An infeasible option has utility −inf and probability 0. The choice
is drawn by inverting the cumulative logit probabilities with one uniform per episode, so the same
uniform under two policies picks "nearby" options (common random numbers).

The per-episode loops are compiled with numba (``static_utility``, ``round_utility``, ``pick``): they
do in one pass what numpy did in a dozen temporary (episode × option) arrays. They keep numpy's float32
arithmetic operation for operation, and the exponential stays numpy's, so results are byte-identical to
the array formulas they replaced (tests/test_choice.py keeps those formulas as the specification).
"""

from __future__ import annotations

import numba
import numpy as np

from ygt_abm.behaviour.illness import MINOR
from ygt_abm.vocabulary import COUNTY, TOWNSHIP

SELF_CARE = -1


def choice_probabilities(utility: np.ndarray) -> np.ndarray:
    """Row-wise softmax; rows that are all −inf get all-zero probabilities."""
    top = np.max(utility, axis=1, keepdims=True)
    finite = np.isfinite(top)
    expu = np.exp(utility - np.where(finite, top, 0.0))
    expu[~np.broadcast_to(finite, expu.shape)] = 0.0
    total = expu.sum(axis=1, keepdims=True)
    return np.divide(expu, total, out=np.zeros_like(expu), where=total > 0)


def choose(utility: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index of the chosen column per row (−1 where nothing is feasible): the first column whose
    cumulative (unnormalised) weight exceeds ``u`` times the row's total."""
    top = np.max(utility, axis=1, keepdims=True)
    weight = np.exp(utility - np.where(np.isfinite(top), top, 0.0))
    return pick(weight, u)


@numba.njit(cache=True, nogil=True)
def pick(weight: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF draw per row of unnormalised logit ``weight``: the number of cumulative weights
    ≤ ``u`` × the row total (capped at the last column), or −1 where the total is 0."""
    n, width = weight.shape
    out = np.empty(n, dtype=np.int64)
    cum = np.empty(width, dtype=weight.dtype)
    for i in range(n):
        cum[0] = weight[i, 0]
        for j in range(1, width):
            cum[j] = cum[j - 1] + weight[i, j]
        total = cum[width - 1]
        if total <= 0:
            out[i] = -1
            continue
        threshold = u[i] * total
        count = 0
        for j in range(width):
            if cum[j] <= threshold:
                count += 1
        out[i] = min(count, width - 1)
    return out


@numba.njit(cache=True, nogil=True)
def static_utility(table: np.ndarray, res: np.ndarray, kind: np.ndarray, village: np.ndarray,
                   option_level: np.ndarray, insured: np.ndarray, belief: np.ndarray, usual_level: np.ndarray,
                   family_doctor: np.ndarray, beta_quality: np.ndarray, usual_bonus: np.float32,
                   family_doctor_bonus: np.float32) -> np.ndarray:
    """(episode × option) utility terms fixed for the week, float32: the yearly table (type, insured,
    village, option), perceived quality of the option's level, the usual provider's and the family
    doctor's pull toward primary care. Episode ``i`` is resident ``res[i]`` of village ``village[i]``;
    ``insured``, ``belief``, ``usual_level`` and ``family_doctor`` are the population's arrays, and
    ``option_level`` the level of each village's options."""
    n, width = len(res), option_level.shape[1]
    out = np.empty((n, width), dtype=np.float32)
    for i in range(n):
        t, v, r = kind[i], village[i], res[i]
        quality = np.float32(beta_quality[t])
        for k in range(width):
            lvl = option_level[v, k]
            x = table[t, np.int64(insured[r]), v, k] + quality * belief[r, lvl]
            if lvl == usual_level[r]:
                x += usual_bonus
            if family_doctor[r] and lvl <= TOWNSHIP:
                x += family_doctor_bonus
            out[i, k] = x
    return out


@numba.njit(cache=True, nogil=True)
def round_utility(act: np.ndarray, res: np.ndarray, village: np.ndarray, kind: np.ndarray, county: np.ndarray,
                  options: np.ndarray, option_level: np.ndarray, option_slot: np.ndarray, static_u: np.ndarray,
                  referred: np.ndarray, min_level: np.ndarray, excluded: np.ndarray, family_doctor: np.ndarray,
                  general: np.ndarray, reserved: np.ndarray, wait_days: np.ndarray,
                  referred_wait_days: np.ndarray, beta_wait: np.ndarray, bypass_penalty: np.ndarray,
                  self_care: np.ndarray, self_care_shift: np.ndarray) -> np.ndarray:
    """Logit utilities, shifted by each row's maximum, of the active episodes ``act`` in one round:
    column 0 self-care, then every option of the episode's village; −inf where an option is padding,
    has no slot left for the episode (referred patients may also use reserved slots), is below the level
    it was referred to, or already refused it. ``option_slot[type, village, k]`` is the capacity slot an
    episode of that type would take (facility id, + facility count for an admission); waits apply to
    outpatient slots. The family-doctor bypass penalty applies to unreferred contracted residents at
    county level and above. ``family_doctor`` is the population's array, ``options``,
    ``option_level`` and ``option_slot`` are per village, the others per episode."""
    n_fac = len(wait_days)
    width = options.shape[1]
    out = np.empty((len(act), width + 1), dtype=np.float32)
    for row in range(len(act)):
        i = act[row]
        t, c, v, ref = kind[i], county[i], village[i], referred[i]
        shift = self_care_shift[c] if t == MINOR else 0.0
        top = out[row, 0] = np.float32(self_care[t] + shift)
        for k in range(width):
            slot = option_slot[t, v, k]
            room = general[slot] + (reserved[slot] if ref else 0.0)
            lvl = option_level[v, k]
            if options[v, k] < 0 or not room >= 1 or lvl < min_level[i] or (excluded[i] >> k) & 1:
                out[row, k + 1] = -np.inf
                continue
            wait = 0.0
            if slot < n_fac:
                wait = referred_wait_days[slot] if ref else wait_days[slot]
            x = static_u[i, k] + np.float32(wait * beta_wait[t])
            if bypass_penalty[c] != 0.0 and family_doctor[res[i]] and not ref and lvl >= COUNTY:
                x -= np.float32(bypass_penalty[c])
            out[row, k + 1] = x
            top = max(top, x)
        if np.isfinite(top):
            for k in range(width + 1):
                out[row, k] -= top
    return out


def wait_days(base_wait: np.ndarray, load: np.ndarray, crowding_days: float) -> np.ndarray:
    """Expected outpatient wait per facility from last week's load (demand ÷ capacity)."""
    return base_wait + crowding_days * np.clip((load - 0.7) / 0.3, 0.0, 1.0)
