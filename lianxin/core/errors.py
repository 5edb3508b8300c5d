"""The one error type services raise for a refused action; views show its message."""


class ApplicationError(Exception):
    def __init__(self, message: str, *, code: str = "invalid", extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}

    def __str__(self) -> str:
        return str(self.message)
