from django.urls import path

from clients import portal_views

app_name = "clients"

urlpatterns = [
    path("", portal_views.index, name="index"),
    path("sign-in/", portal_views.sign_in, name="sign_in"),
    path("shared/<int:pk>/", portal_views.shared_note, name="shared_note"),
    path("my-data.json", portal_views.download, name="download"),
    path("erasure/", portal_views.erasure_request, name="erasure_request"),
]
