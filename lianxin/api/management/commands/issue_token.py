"""Issue a bearer token for the JSON API acting as a user (the token is the last word printed)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lianxin.api.services import api_token_issue
from lianxin.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Issue a JSON API bearer token for USERNAME; it sees what the user may see."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user named “%(name)s”.") % {"name": username})
        try:
            _token, secret = api_token_issue(user=user)
        except ApplicationError as error:
            raise CommandError(error.message)
        self.stdout.write(_("New API token for %(name)s (shown only now):") % {"name": username})
        self.stdout.write(secret)
