"""Camera form coach: video -> landmarks -> signals -> repetitions -> faults -> report (DESIGN §6).

The core (signals, segmentation, checks, analysis of landmark sequences and streams)
needs only NumPy and SciPy. Reading videos and running the pose model need the
optional `backcoach[vision]` extra and are imported lazily.
"""

from .analysis import (
    AnalysisResult,
    Repetition,
    StreamingAnalyzer,
    StreamUpdate,
    analyze_landmarks,
    analyze_video,
    extract_landmarks,
)
from .checks import EXERCISES, FAMILIES, CheckOptions, Finding, get_check, options_from_dose
from .errors import (
    ExerciseMismatchError,
    MotionError,
    NoPersonError,
    NotRecognisedError,
    NotVisibleError,
    UnknownExerciseError,
    VideoError,
    VisionExtraMissing,
    WrongViewError,
)
from .landmarks import Landmark, LandmarkFrame, LandmarkSequence, frame_from_coco17
from .pose import MediaPipePose, PoseEstimator
from .recognise import recognise_exercise

__all__ = [
    "AnalysisResult", "CheckOptions", "EXERCISES", "Finding", "NotRecognisedError", "options_from_dose", "ExerciseMismatchError", "FAMILIES", "Landmark", "LandmarkFrame", "LandmarkSequence",
    "MediaPipePose", "MotionError", "NoPersonError", "NotVisibleError", "PoseEstimator", "Repetition",
    "StreamUpdate", "StreamingAnalyzer", "UnknownExerciseError", "VideoError", "VisionExtraMissing",
    "WrongViewError", "analyze_landmarks", "analyze_video", "extract_landmarks", "frame_from_coco17",
    "get_check", "recognise_exercise",
]
