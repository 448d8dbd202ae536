from django.urls import path

from clients.agreements import views

app_name = "agreements"

# Included at the site's root: the portal page needs a sign-in, the signed link does not.
urlpatterns = [
    path("account/agreement/", views.index, name="index"),
    path("agreement/<str:token>/", views.sign_link, name="sign_link"),
]
