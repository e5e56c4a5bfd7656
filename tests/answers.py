"""Safety-check answers that raise no flag at all, shared by the domain, service, storage and
CLI tests (each suite derives its other levels from these)."""

from __future__ import annotations

CLEAR: dict[str, object] = {
    "age": 40, "pain_now": 3, "pain_worst_24h": 5, "onset_weeks": 2, "radiation": "buttock",
    "legs_affected": "none", "leg_numbness_or_tingling": False, "leg_weakness": "none",
    "bladder_change": False, "bowel_control_loss": False, "saddle_numbness": False,
    "new_sexual_dysfunction": False, "relieved_by_rest": True, "worse_at_night": False,
    "fever_or_chills": False, "cancer_history": False, "unexplained_weight_loss": False,
    "recent_trauma": "none", "osteoporosis_or_steroids": False,
    "immunosuppressed_or_injects_drugs": False, "first_episode": False,
    "sudden_onset": False, "recent_infection_or_spinal_procedure": False, "walking_unsteady": False,
    "thoracic_pain": False, "morning_stiffness_over_30_min": False,
}
