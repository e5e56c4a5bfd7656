"""Domain exceptions: errors a user can cause, each with a message written for that user."""


class BackcoachError(Exception):
    """Base for every error a user can cause; the message is shown as is."""


class InvalidAnswers(BackcoachError):
    """An answer has the wrong type or is out of range; nothing is guessed.

    ``problems``: field -> message, when the mistakes are known field by field
    (``domain.fields``); the message then names them all."""

    def __init__(self, message: str = "", problems: "dict[str, str] | None" = None) -> None:
        super().__init__(message)
        self.problems: dict[str, str] = dict(problems or {})


class ProgramLocked(BackcoachError):
    """The program may not be produced or continued (no current screening, or a lock)."""


class UnknownExercise(BackcoachError):
    """An exercise id that the catalog does not hold."""


class InvalidCatalog(BackcoachError):
    """The catalog or thresholds data file is inconsistent; the message names the entry."""


class NotAllowed(BackcoachError):
    """The account may not see or do this (the same message whether or not the record exists)."""


class ClinicianNotApproved(NotAllowed):
    """A clinician account that an administrator has not approved (pending or refused)."""

    def __init__(self, message: str, approval: str) -> None:
        super().__init__(message)
        self.approval = approval
