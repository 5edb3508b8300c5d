from django.contrib import admin

from .models import Candidate, Proposal, Round, RoundEvent


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "place", "year", "status", "seats", "ratio", "min_ratio"]
    list_filter = ["status", "year"]
    readonly_fields = ["status", "ballot_id", "ballot_rules", "results", "needs_decision"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["title", "round", "status", "department", "votes", "percent_done"]
    list_filter = ["status"]
    readonly_fields = ["status", "votes"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "round", "kind", "source", "candidate", "created_at"]
    list_filter = ["kind", "source"]


@admin.register(RoundEvent)
class RoundEventAdmin(admin.ModelAdmin):
    """The timeline is append-only: the admin shows it and changes nothing."""

    list_display = ["at", "round", "project", "action", "actor", "actor_role", "from_status", "to_status"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
