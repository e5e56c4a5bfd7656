"""Turning form posts into the answer mappings the services take, and service
results into what the pages show. Shared by the pages and the JSON API so both
do exactly the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backcoach.domain.assessment import ASSESSMENT
from backcoach.domain.fields import by_name
from backcoach.domain.screening import SCREENING
from backcoach.web.forms import FormProblems, read_field

SCREENING_FIELDS = by_name(SCREENING)
ASSESSMENT_FIELDS = by_name(ASSESSMENT)

SCREENING_GROUPS = (
    ("About you and your pain", ("age", "pain_now", "pain_worst_24h", "onset_weeks", "first_episode", "sudden_onset")),
    ("Where you feel it", ("radiation", "legs_affected", "thoracic_pain")),
    ("Your legs and walking", ("leg_numbness_or_tingling", "leg_weakness", "walking_unsteady")),
    ("Bladder, bowel and numbness", ("bladder_change", "bowel_control_loss", "saddle_numbness", "new_sexual_dysfunction")),
    ("How the pain behaves", ("relieved_by_rest", "worse_at_night", "morning_stiffness_over_30_min")),
    ("Your health", ("fever_or_chills", "recent_infection_or_spinal_procedure", "cancer_history",
                     "unexplained_weight_loss", "recent_trauma", "osteoporosis_or_steroids",
                     "immunosuppressed_or_injects_drugs")),
)
# The group whose questions can mean cauda equina syndrome: the page puts the "call your
# emergency number" line right there, not only after the form.
EMERGENCY_GROUP = "Bladder, bowel and numbness"

CHOICE_LABELS = {
    "none": "No / none",
    "buttock": "Into the buttock",
    "thigh": "Into the thigh",
    "below_knee": "Below the knee (calf, ankle or foot)",
    "one": "One side",
    "both": "Both sides",
    "stable": "Yes, and it is staying the same",
    "worsening": "Yes, and it is getting worse",
    "minor": "A minor fall or trip",
    "major": "A major accident or fall",
    "left": "Left",
    "right": "Right",
    "central": "In the middle",
    "glutes": "In my buttocks (glutes)",
    "hamstrings": "At the back of my thighs (hamstrings)",
    "lower_back": "In my lower back",
}


def screening_questions() -> list[Any]:
    """The questions with their time frames filled in from the thresholds file."""
    from backcoach.services.screening import screening_questions as questions

    return list(questions())


def screening_groups() -> list[dict[str, Any]]:
    by_key = {q.key: q for q in screening_questions()}
    groups, used = [], set()
    for title, keys in SCREENING_GROUPS:
        qs = [by_key[k] for k in keys if k in by_key]
        used.update(q.key for q in qs)
        if qs:
            groups.append({"title": title, "questions": qs})
    rest = [q for q in screening_questions() if q.key not in used]
    if rest:
        groups.append({"title": "More questions", "questions": rest})
    return groups


@dataclass
class ScreeningForm:
    """A posted safety check: typed answers, and one message per question that needs attention.

    ``errors`` maps a question key to the message shown next to that question (and linked
    from the summary at the top); ``unanswered`` lists the questions left empty.
    """

    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    unanswered: list[str] = field(default_factory=list)

    @property
    def invalid(self) -> list[str]:
        return [k for k in self.errors if k not in self.unanswered]


def screening_answers_from_form(form: dict[str, str]) -> ScreeningForm:
    """Form strings -> typed answers; an empty field stays unanswered (never read as "no")."""
    result = ScreeningForm()
    for q in screening_questions():
        if form.get(q.key, "") == "":
            result.unanswered.append(q.key)
            result.errors[q.key] = ("Please answer this question. An unanswered safety question is never taken "
                                    "as “no”.")
            continue
        value, message = read_field(form, SCREENING_FIELDS[q.key])
        if message is not None:
            result.errors[q.key] = message
        elif value is not None:
            result.answers[q.key] = value
    return result


def screening_error_summary(checked: ScreeningForm) -> list[dict[str, str]]:
    """The summary at the top of the form: one link per question that needs attention, in page order."""
    from backcoach.domain.screening import short_label

    return [{"href": f"#q-{key}", "text": short_label(key)[:1].upper() + short_label(key)[1:],
             "message": "not answered yet" if key in checked.unanswered else message}
            for key, message in checked.errors.items()]


def reasons_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    return list(result.get("reasons", []))


# -- assessment ----------------------------------------------------------------------------

SELF_TEST_FIELDS = (
    {
        "match": "bridge_hold", "title": "Bridge hold",
        "instructions": "Lie on your back, knees bent, feet flat and hip-width apart. Squeeze your buttocks and lift "
                        "your hips until shoulders, hips and knees make a straight line. Hold as long as you can keep "
                        "that line without arching your lower back (stop at {cap} seconds). Stop if it hurts more than a little.",
        "fields": (("bridge_hold_s", "Seconds held (0 to {cap})"),),
    },
    {
        "match": "single_leg_bridge", "title": "Single-leg bridge",
        "instructions": "From the bridge position, straighten one leg and lift your hips using the other leg. Count "
                        "clean repetitions until your hips drop, twist or your back takes over (stop at {cap}). Then swap sides.",
        "fields": (("single_leg_bridge_reps_left", "Repetitions, standing on the left leg (0 to {cap})"),
                   ("single_leg_bridge_reps_right", "Repetitions, standing on the right leg (0 to {cap})")),
    },
    {
        "match": "stance", "title": "Single-leg stance",
        "instructions": "Stand facing a mirror, hands on your hips, near a wall for balance. Lift one foot and stand on "
                        "the other leg for 30 seconds. Watch your hips: does the hip of the lifted leg drop? Then swap.",
        "fields": (("stance_hip_drop_left", "Standing on the left leg, did the right hip drop?"),
                   ("stance_hip_drop_right", "Standing on the right leg, did the left hip drop?")),
    },
    {
        "match": "side_lying", "title": "Side-lying leg raise hold",
        "instructions": "Lie on your side with the bottom knee bent. Keep the top leg straight and in line with your body, "
                        "toes pointing forward, and lift it about a foot. Hold as long as you can without rolling "
                        "backwards (stop at {cap} seconds). Then swap sides.",
        "fields": (("side_lying_hold_s_left", "Seconds held, lifting the left leg (0 to {cap})"),
                   ("side_lying_hold_s_right", "Seconds held, lifting the right leg (0 to {cap})")),
    },
)

# (key, label, kind, low, high, required): the layout of the assessment page; the rest is the spec
ASSESSMENT_PAIN_FIELDS = tuple((f.name, f.label, f.kind, f.low, f.high, f.required)
                               for f in ASSESSMENT if f.name in ("pain_now", "pain_worst_24h", "onset_weeks"))
ASSESSMENT_CHOICES = tuple((f.name, f.label, f.choices, f.required) for f in ASSESSMENT if f.name in ("side", "radiation"))
ASSESSMENT_PATTERN = tuple((f.name, f.label) for f in ASSESSMENT
                           if f.name in ("one_sided_ache", "side_lying_pain", "worse_standing_walking", "swayback"))
BRIDGE_FELT = (ASSESSMENT_FIELDS["bridge_felt"].name, ASSESSMENT_FIELDS["bridge_felt"].label,
               ASSESSMENT_FIELDS["bridge_felt"].choices)


def _with_caps() -> list[dict[str, Any]]:
    """SELF_TEST_FIELDS as (key, label, kind, low, high): the kind and the lower bound from the
    spec, "{cap}" and the upper bound shown from the loaded thresholds (a result above the cap
    counts as the cap: ``domain.assessment.parse_assessment``)."""
    from backcoach.domain.assessment import self_test_cap
    from backcoach.services.common import thresholds

    out = []
    for t in SELF_TEST_FIELDS:
        fields, caps = [], []
        for key, label in t["fields"]:
            spec = ASSESSMENT_FIELDS[key]
            cap = self_test_cap(key, thresholds())
            high: Any = spec.high
            if cap is not None:
                caps.append(cap)
                high = int(cap) if spec.kind == "int" else cap
                label = label.format(cap=f"{cap:g}")
            fields.append((key, label, spec.kind, spec.low, high))
        text = t["instructions"].format(cap=f"{caps[0]:g}") if caps else t["instructions"]
        out.append({**t, "fields": tuple(fields), "instructions": text})
    return out


def self_tests() -> list[dict[str, Any]]:
    """Our field layout, with the domain's instructions (SELF_TESTS) where it has them."""
    from backcoach.domain.assessment import self_tests as domain_self_tests
    from backcoach.services.common import thresholds

    tests = domain_self_tests(thresholds())
    out = []
    for t in _with_caps():
        domain = next((s for s in tests if t["match"] in str(s[0])), None)
        out.append({**t, "title": domain[1] if domain else t["title"],
                    "instructions": domain[2] if domain else t["instructions"]})
    return out


def assessment_answers_from_form(form: dict[str, str]) -> tuple[dict[str, Any], FormProblems]:
    """Every assessment field from the form (checked by the spec); the self-tests keep the
    page's own labels, so that a message names the field as the page shows it."""
    labels = {key: label for t in _with_caps() for key, label, *_ in t["fields"]}
    p = FormProblems()
    answers = {spec.name: p.field(form, spec, labels.get(spec.name)) for spec in ASSESSMENT}
    return {k: v for k, v in answers.items() if v is not None}, p
