"""The words for faults and cues: what we saw, what to do about it, and praise.

Shared by the report, the per-repetition cue of the analysis and the live stream. All
wording is ours, written for a person with back pain; feedback on technique, not a
medical assessment.
"""

from __future__ import annotations

# What we saw, in a few words (shown per repetition).
FAULT_LABELS = {
    "incomplete_extension": "hips not lifted to a straight line",
    "lumbar_hyperextension": "lower back arched",
    "no_hold": "top not held long enough",
    "rushed": "moved too fast",
    "feet_position": "feet too near or too far",
    "pelvis_drop": "pelvis dropped to one side",
    "feet_apart": "feet came apart",
    "pelvis_roll_back": "pelvis rolled back",
    "small_range": "knee opened only a little",
    "hip_flexion": "leg drifted forward",
    "toes_up": "toes turned up",
    "trunk_roll": "body rolled",
    "excess_range": "lifted too high",
    "hip_sag": "hips sagged",
}

# What to do about it (the summary picks the one or two most useful).
CUES = {
    "incomplete_extension": "Push through your heels and lift your hips until shoulders, hips and knees make one straight line.",
    "lumbar_hyperextension": "Stop rising once your body is straight: tuck your tailbone a little and keep your ribs down, so your buttocks do the work instead of your lower back.",
    "no_hold": "Pause at the top and squeeze your buttocks for {hold:g} seconds before you lower.",
    "rushed": "Slow down: about two seconds to lift and two seconds to lower, with control.",
    "feet_position": "Move your feet so that at the top your shins are upright and your knees make roughly a right angle.",
    "pelvis_drop": "Keep both hips level, as if a glass of water were resting on your belly.",
    "feet_apart": "Keep your heels touching the whole time; only the top knee moves.",
    "pelvis_roll_back": "Keep your top hip stacked over the bottom one; open the knee only as far as you can without your pelvis rolling back.",
    "small_range": "Open the top knee a little further, as far as your hips stay still. If a band stops you, use a lighter one.",
    "hip_flexion": "Keep the lifting leg in line with your body, or slightly behind it, not in front.",
    "toes_up": "Keep your toes pointing forward rather than up to the ceiling; lead with your heel.",
    "trunk_roll": "Keep your shoulders and hips stacked; do not roll backwards or forwards as you lift.",
    "excess_range": "Lift the leg only to about 30-45 degrees; higher than that, your side and lower back take over.",
    "hip_sag": "Lift your hips so your body makes a straight line from your shoulders to your knees or feet.",
}
CUES_BY_EXERCISE = {
    ("bird_dog", "hip_sag"): "Keep your back flat like a table while you reach: hips level with your shoulders, tummy gently tight.",
    ("bird_dog", "lumbar_hyperextension"): "Reach long rather than high: keep the lifted leg at hip height and your back flat like a table.",
    ("dead_bug", "lumbar_hyperextension"): "Lower the leg only as far as you can keep your lower back gently pressed to the floor.",
}

# Back safety first, then the things that change what the muscles do, then tempo.
PRIORITY = [
    "lumbar_hyperextension", "hip_sag", "pelvis_drop", "trunk_roll", "excess_range", "pelvis_roll_back",
    "incomplete_extension", "small_range", "feet_apart", "hip_flexion", "toes_up", "feet_position",
    "no_hold", "rushed",
]


# Praise for a repetition with nothing to fix (per family; the default otherwise).
PRAISE = {
    "bridge": "Good repetition: hips lifted to a straight line with control.",
    "clamshell": "Good repetition: knee opened with the feet together and the pelvis still.",
    "leg_raise": "Good repetition: leg lifted in line with your body, with control.",
    "hold": "Good hold: steady position.",
    "dead_bug": "Good repetition: slow reach with the back steady.",
}
PRAISE_DEFAULT = "Good repetition."
PRAISE_PARTIAL = " (on what the camera could see)"


def cue_for(fault: str, exercise: str, hold_s: float | None = 2.0) -> str:
    text = CUES_BY_EXERCISE.get((exercise, fault), CUES.get(fault, ""))
    return text.format(hold=hold_s if hold_s else 2)


def most_important(faults: list[str]) -> str | None:
    """The fault to talk about first: back safety, then what changes the muscles' work, then tempo."""
    if not faults:
        return None
    return min(faults, key=lambda f: PRIORITY.index(f) if f in PRIORITY else len(PRIORITY))
