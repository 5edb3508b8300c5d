"""Pages of a ballot (filled in below the API commit)."""

from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


ballot_list = detail = vote = close = presence = paper = paper_confirm = paper_correct = results = results_pdf = (
    _missing
)
