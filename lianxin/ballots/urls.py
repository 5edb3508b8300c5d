from django.urls import path

from . import views

app_name = "ballots"

urlpatterns = [
    path("", views.ballot_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/presence/", views.presence, name="presence"),
    path("<int:pk>/paper/", views.paper, name="paper"),
    path("<int:pk>/paper/<int:entry_pk>/confirm/", views.paper_confirm, name="paper_confirm"),
    path("<int:pk>/paper/<int:entry_pk>/correct/", views.paper_correct, name="paper_correct"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.pdf", views.results_pdf, name="results_pdf"),
]
