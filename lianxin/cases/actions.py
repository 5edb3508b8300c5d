"""The case page's actions as one table: action name → its form, the service it calls,
the button and the success message. Views look actions up here; nothing else does."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from . import forms, services
from .models import Case
from .workflow import Action


@dataclass(frozen=True)
class ActionSpec:
    form: type[forms.ActionForm]
    run: Callable[[Case, object, dict], object]
    button: Promise
    done: Promise


def _run_triage(case: Case, user, d: dict) -> None:
    services.case_triage(case=case, actor=user, category=d["category"], urgency=d["urgency"], note=d["note"])


def _run_link(case: Case, user, d: dict) -> None:
    services.case_link_duplicate(case=case, actor=user, original=d["original"], note=d["note"])


def _run_assign(case: Case, user, d: dict) -> None:
    services.case_assign(
        case=case,
        actor=user,
        department=d["department"],
        helpers=list(d["helpers"]),
        due_at=d["due_at"],
        note=d["note"],
    )


def _run_progress(case: Case, user, d: dict) -> None:
    services.case_add_progress(case=case, actor=user, note=d["note"], photos=d["photos"], public=d["public"])


ACTIONS: dict[str, ActionSpec] = {
    Action.TRIAGE: ActionSpec(
        forms.TriageForm, _run_triage, gettext_lazy("Triage"), gettext_lazy("The case is triaged.")
    ),
    Action.LINK_DUPLICATE: ActionSpec(
        forms.LinkDuplicateForm,
        _run_link,
        gettext_lazy("Link as duplicate"),
        gettext_lazy("The case is linked as a duplicate."),
    ),
    Action.ASSIGN: ActionSpec(
        forms.AssignForm, _run_assign, gettext_lazy("Assign"), gettext_lazy("The case is assigned.")
    ),
    Action.REASSIGN: ActionSpec(
        forms.AssignForm, _run_assign, gettext_lazy("Reassign"), gettext_lazy("The case is reassigned.")
    ),
    Action.ACCEPT: ActionSpec(
        forms.AcceptForm,
        lambda c, u, d: services.case_accept(case=c, actor=u, note=d["note"]),
        gettext_lazy("Accept"),
        gettext_lazy("You have accepted the case."),
    ),
    Action.RETURN: ActionSpec(
        forms.ReturnForm,
        lambda c, u, d: services.case_return(case=c, actor=u, reason=d["reason"]),
        gettext_lazy("Return to the office"),
        gettext_lazy("The case is returned to the office."),
    ),
    Action.PROGRESS: ActionSpec(
        forms.ProgressForm, _run_progress, gettext_lazy("Add progress"), gettext_lazy("Progress recorded.")
    ),
    Action.REPLY: ActionSpec(
        forms.ReplyForm,
        lambda c, u, d: services.case_reply(case=c, actor=u, text=d["text"], photos=d["photos"]),
        gettext_lazy("Send the reply"),
        gettext_lazy("The reply is sent to the resident."),
    ),
    Action.REOPEN: ActionSpec(
        forms.ReasonForm,
        lambda c, u, d: services.case_reopen(case=c, actor=u, reason=d["reason"]),
        gettext_lazy("Send back for handling again"),
        gettext_lazy("The case is back with the department, with a new deadline."),
    ),
    Action.CLOSE: ActionSpec(
        forms.CloseForm,
        lambda c, u, d: services.case_close(case=c, actor=u, note=d["note"]),
        gettext_lazy("Close"),
        gettext_lazy("The case is closed."),
    ),
    Action.RESOLVE_ON_SPOT: ActionSpec(
        forms.ReasonForm,
        lambda c, u, d: services.case_resolve_on_spot(case=c, actor=u, reason=d["reason"]),
        gettext_lazy("Resolved on the spot"),
        gettext_lazy("The case is closed as resolved on the spot."),
    ),
    Action.REJECT: ActionSpec(
        forms.ReasonForm,
        lambda c, u, d: services.case_reject(case=c, actor=u, reason=d["reason"]),
        gettext_lazy("Close as not admissible"),
        gettext_lazy("The case is closed as not admissible."),
    ),
    Action.URGE: ActionSpec(
        forms.UrgeForm,
        lambda c, u, d: services.case_urge(case=c, actor=u, note=d["note"]),
        gettext_lazy("Urge"),
        gettext_lazy("The department has been urged."),
    ),
    Action.FOLLOW: ActionSpec(
        forms.FollowForm,
        lambda c, u, d: services.case_follow(case=c, actor=u),
        gettext_lazy("Follow this case"),
        gettext_lazy("You now follow this case."),
    ),
    Action.NOTE: ActionSpec(
        forms.NoteForm,
        lambda c, u, d: services.case_add_note(case=c, actor=u, note=d["note"]),
        gettext_lazy("Add note"),
        gettext_lazy("Note added."),
    ),
    Action.ADOPT: ActionSpec(
        forms.AdoptForm,
        lambda c, u, d: services.case_mark_adopted(case=c, actor=u, note=d["note"]),
        gettext_lazy("Mark as adopted"),
        gettext_lazy("The suggestion is marked as adopted."),
    ),
}


# --- outside the case's own workflow --------------------------------------------------------


def promote_to_project(case: Case, user, d: dict):
    """转为民生实事建议: the case becomes a proposal of a soliciting or shortlisting round (the
    projects app's service checks the role, the round's state and the case's place)."""
    from lianxin.projects.services import proposal_from_case

    return proposal_from_case(round_=d["round"], case=case, actor=user, title=d["title"])


PROMOTE_DONE = gettext_lazy("The opinion is now a proposal of “%(round)s”.")
