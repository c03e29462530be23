"""The year's tariff (价格与报销): prices and reimbursement rules by county and level, as the levers set them
and at the intensity providers practise. Payment sets it at every year start; ``ygt_abm.pricing`` prices
contacts with it."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Tariff(NamedTuple):
    """Prices and reimbursement rules by county (and level), as the levers set them this year."""

    outpatient_price: np.ndarray
    inpatient_price: np.ndarray
    outpatient_reimbursement: np.ndarray
    inpatient_reimbursement: np.ndarray
    inpatient_deductible: np.ndarray
    inpatient_in_catalogue: np.ndarray
    same_payment_severity: np.ndarray
    referred_price_discount: np.ndarray
    referred_fee_waiver: np.ndarray
    unreferred_cut: np.ndarray  # (county, level)
    case_rate: np.ndarray  # (county, level)
    case_severity_adjustment: np.ndarray  # (county,)
    case_intensity_adjustment: np.ndarray  # (county,)
    intensity: np.ndarray  # (county, level, contact kind)
    grouped_intensity: np.ndarray  # (county, level, contact kind) the intensity case groups see: the procedures
    #                                providers practise, not a stay cut short by a referral down
    outpatient_capitation: np.ndarray  # (county, level) bool: outpatient care paid by head, not by contact

    @classmethod
    def of(cls, levers, intensity: np.ndarray | None = None, catalogue_shift: np.ndarray | None = None,
           grouped_intensity: np.ndarray | None = None, self_paid_cut_priority: float = 0.0) -> "Tariff":
        """The levers' tariff, at the providers' ``intensity`` and with the share of in-catalogue charges they
        move out of the catalogue (``catalogue_shift``, by county and level; fee-for-service practice's if
        omitted). The in-catalogue share is computed afresh, so a shift changed later does not reach it. Case
        groups see ``grouped_intensity`` (the practised ``intensity`` if omitted). Where admissions are paid by
        case, their cut in intensity falls first on self-paid items at ``self_paid_cut_priority``
        (``self_paid_after_cuts``)."""
        if intensity is None:
            intensity = np.ones(levers.outpatient_price.shape + (2,))
        if grouped_intensity is None:
            grouped_intensity = intensity
        in_catalogue = levers.inpatient_in_catalogue if catalogue_shift is None else \
            levers.inpatient_in_catalogue * (1.0 - catalogue_shift)
        if self_paid_cut_priority > 0.0:
            in_catalogue = np.where(levers.case_rate > 0.0, self_paid_after_cuts(
                in_catalogue, intensity[..., 1], self_paid_cut_priority), in_catalogue)
        return cls(levers.outpatient_price, levers.inpatient_price, levers.outpatient_reimbursement,
                   levers.inpatient_reimbursement, levers.inpatient_deductible, in_catalogue,
                   levers.same_payment_severity,
                   levers.referred_price_discount, levers.referred_fee_waiver,
                   levers.unreferred_reimbursement_cut, levers.case_rate, levers.case_severity_adjustment,
                   levers.case_intensity_adjustment,
                   intensity, grouped_intensity, levers.outpatient_capitation)


def self_paid_after_cuts(in_catalogue: np.ndarray, intensity: np.ndarray, priority: float) -> np.ndarray:
    """The in-catalogue share of an admission's charges once a cut to ``intensity`` (< 1) has fallen first on
    the self-paid items at ``priority``: at 0 every item is cut alike and the share stays; at 1 the cut comes
    out of the self-paid items while any remain (docs/model.md, "A case-paid admission's cut"). Intensity at
    or above fee-for-service practice's leaves the share as it is."""
    cut = np.maximum(1.0 / intensity - 1.0, 0.0)  # the cut, per yuan of the charges that remain
    return in_catalogue + np.minimum(priority * in_catalogue * cut, 1.0 - in_catalogue)
