"""`manage.py triage_train`: retrain the category classifier from the platform's own cases,
optionally seeded with a CSV corpus, and activate it if it passes the retrain guard."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lianxin.core.errors import ApplicationError
from lianxin.routing.label_map import DEFAULT_LABEL_MAP
from lianxin.routing.models import TrainingSource
from lianxin.routing.training import ACTIVATE_CHOICES, Activate, train_and_register


class Command(BaseCommand):
    help = (
        "Retrain the triage classifier from closed cases and staff labels (plus an optional seed corpus "
        "with columns id,title,body,time,label). The new model becomes active only if its macro-F1 on the "
        "newest fifth of the platform's cases is at least the active model's (--activate auto)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed-csv", help="A labelled CSV corpus to train on as well.")
        parser.add_argument(
            "--label-map",
            help="JSON object (inline or a file) mapping the corpus's labels to category codes; "
            "default: the government-message corpus's seven labels.",
        )
        parser.add_argument("--activate", default=Activate.AUTO, help="auto (the guard decides), always or never.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed of the training.")

    def handle(self, *args, seed_csv=None, label_map=None, activate=Activate.AUTO, seed=0, **options):
        if activate not in ACTIVATE_CHOICES:
            raise CommandError(
                _("--activate must be one of %(choices)s, not “%(value)s”.")
                % {"choices": ", ".join(ACTIVATE_CHOICES), "value": activate}
            )
        mapping = _label_map(label_map) if label_map else DEFAULT_LABEL_MAP
        try:
            result = train_and_register(
                source=TrainingSource.COMMAND, seed_csv=seed_csv, label_map=mapping, activate=activate, seed=seed
            )
        except ApplicationError as error:
            raise CommandError(error.message) from None
        version = result.version
        self.stdout.write(
            _("Model %(version)s: %(n)d training texts, %(held)d held-back cases, trained in %(s).1f s.")
            % {"version": version.content_hash, "n": result.n_train, "held": result.n_held_back, "s": result.seconds}
        )
        self.stdout.write(_("Macro-F1 on the held-back cases: %(new)s (active model: %(old)s).") % _scores(result))
        style = self.style.SUCCESS if result.activated else self.style.WARNING
        self.stdout.write(style(str(version.get_decision_display())))


def _label_map(value: str) -> dict[str, str]:
    text = value
    if not value.lstrip().startswith("{"):
        try:
            text = Path(value).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(_("The label map %(path)s cannot be read: %(error)s") % {"path": value, "error": error})
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(_("The label map is not valid JSON: %(error)s") % {"error": error}) from None
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise CommandError(_("The label map must be a JSON object of label → category code."))
    return mapping


def _scores(result) -> dict[str, str]:
    def show(value):
        return "—" if value is None else f"{value:.3f}"

    return {"new": show(result.macro_f1), "old": show(result.compared_macro_f1)}
