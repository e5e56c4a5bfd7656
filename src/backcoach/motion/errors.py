"""Errors a person can cause when filming a set; each message says what to do next."""

from __future__ import annotations

from backcoach.domain.errors import BackcoachError


class MotionError(BackcoachError):
    """Base for every motion-analysis error; the message is shown to the person as is."""


class VideoError(MotionError):
    """The file cannot be read as a video (missing, empty, corrupt, too long)."""


class NoPersonError(MotionError):
    """No person was found in (enough of) the video."""


class NotVisibleError(MotionError):
    """A person was found, but the body parts this exercise needs are out of the picture."""


class WrongViewError(MotionError):
    """The camera looks at the person from a direction this exercise cannot be checked from."""


class ExerciseMismatchError(MotionError):
    """The body position in the video does not fit the exercise asked for (counting it would be made up)."""


class UnknownExerciseError(MotionError):
    """The exercise id has no camera check."""


class NotRecognisedError(UnknownExerciseError):
    """`--exercise auto`: the movement in the video is not one of the catalog's exercises
    (or not clearly enough to name it); the message says what was seen."""


class NoRepetitionsError(MotionError):
    """Reserved for callers that require at least one repetition; the analysis itself reports zero."""


class VisionExtraMissing(MotionError):
    """The optional `backcoach[vision]` extra (MediaPipe, OpenCV) is not installed."""
