"""Policy levers: the one object interventions write to and behaviour reads policy from.

Behaviour code never knows which document or intervention set a value; it only reads these arrays.
Every lever starts at the baseline parameters (no reform).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ygt_abm.config.params import ModelParameters


@dataclass
class PolicyLevers:
    outpatient_price: np.ndarray  # (level,) yuan per visit
    inpatient_price: np.ndarray  # (level,) yuan per admission
    outpatient_reimbursement: np.ndarray  # (level,) share the fund pays (差别化支付)
    inpatient_reimbursement: np.ndarray  # (level,)
    inpatient_deductible: np.ndarray  # (level,) yuan per admission (起付线)
    continuous_deductible: bool  # referred within the county pays the deductible once (起付线连续计算)
    referral_down_rate: float  # share of hospital admissions referred down after treatment (下转)
    doctor_pay: np.ndarray  # (level,) yearly pay, yuan
    capability_bonus: np.ndarray  # (facility, episode type): capability added by policy

    @classmethod
    def baseline(cls, params: ModelParameters, n_facilities: int) -> "PolicyLevers":
        f = params.finance
        return cls(
            outpatient_price=params.facilities.outpatient_price.array(),
            inpatient_price=params.facilities.inpatient_price.array(),
            outpatient_reimbursement=f.outpatient_reimbursement.array(),
            inpatient_reimbursement=f.inpatient_reimbursement.array(),
            inpatient_deductible=f.inpatient_deductible.array(),
            continuous_deductible=False,
            referral_down_rate=params.care.referral_down_after_admission,
            doctor_pay=params.workforce.reference_pay.array(),
            capability_bonus=np.zeros((n_facilities, 4)),
        )
