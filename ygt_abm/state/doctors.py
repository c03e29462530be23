"""Doctors as a struct of arrays: level, employer, posting, presence, age, skill and pay.

A doctor's employer (the facility that holds the post) and posting (where they work this year) differ
when a doctor is seconded (下沉, 组团式帮扶); capacity and capability follow the posting. Rows stay in
hiring order (``uid`` ascending), so every draw taken "per doctor" is taken in the same order whatever
happened before. Careers and postings are decided by ``ygt_abm.processes.workforce``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np



@dataclass
class Doctors:
    uid: np.ndarray  # int64, hiring order
    level: np.ndarray  # int64
    employer: np.ndarray  # int64 facility id
    posting: np.ndarray  # int64 facility id where they work this year
    presence: np.ndarray  # float64 share of working time at the posting (the rest at the employer)
    age: np.ndarray  # float64
    skill: np.ndarray  # float64, 0–1
    pay: np.ndarray  # float64 yuan a year

    @classmethod
    def empty(cls) -> "Doctors":
        i, f = np.zeros(0, dtype=np.int64), np.zeros(0)
        return cls(i, i.copy(), i.copy(), i.copy(), f, f.copy(), f.copy(), f.copy())

    def __len__(self) -> int:
        return len(self.uid)

    def select(self, mask: np.ndarray) -> None:
        """Drop every doctor where ``mask`` is False (retired, quit); the others keep their order."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name)[mask])

    def hire(self, level: np.ndarray, employer: np.ndarray, age: np.ndarray, skill: np.ndarray,
             pay: np.ndarray) -> None:
        """Add new doctors, posted at their employer full time."""
        start = int(self.uid[-1]) + 1 if len(self) else 0
        new = Doctors(np.arange(start, start + len(employer), dtype=np.int64), level.astype(np.int64),
                      employer.astype(np.int64), employer.astype(np.int64), np.ones(len(employer)),
                      age.astype(np.float64), skill.astype(np.float64), pay.astype(np.float64))
        for f in fields(self):
            setattr(self, f.name, np.concatenate([getattr(self, f.name), getattr(new, f.name)]))
