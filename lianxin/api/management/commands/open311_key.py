"""Give an Open311 app a new api_key (the key is the last word printed), or revoke it."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lianxin.api.services import api_client_issue_key, api_client_revoke
from lianxin.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Register an Open311 app and print its new api_key, or revoke an app's key with --revoke."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="The app's name, e.g. 'Citizen app'.")
        parser.add_argument("--revoke", action="store_true", help="Stop accepting this app's key.")

    def handle(self, *args, name: str, revoke: bool, **options) -> None:
        try:
            if revoke:
                client = api_client_revoke(name=name)
                self.stdout.write(_("The key of %(name)s no longer works.") % {"name": client.name})
                return
            client, key = api_client_issue_key(name=name)
        except ApplicationError as error:
            raise CommandError(error.message)
        notice = _("New key for %(name)s (shown only now; any older key stops working):")
        self.stdout.write(notice % {"name": client.name})
        # Alone on the last line, whatever the language, so scripts can take the last word.
        self.stdout.write(key)
