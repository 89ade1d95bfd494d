class DomainError(Exception):
    """A rule refused an action. The message is for the user, in their language; pages show it as
    a form or page message and the API returns it with `status`, never a 500."""

    status = 409
    code = "conflict"

    def __init__(self, message, *, code=None, status=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
