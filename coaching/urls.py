from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from coaching import views
from content.blog.seo import SITEMAPS, robots_txt

# The admin signs in through allauth, so its second factor and rate limits apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Practice data"

coach_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/test/", views.outbox_test, name="outbox_test"),
    path("outbox/<int:pk>/", views.outbox_email, name="outbox_email"),
    path("outbox/<int:pk>/html/", views.outbox_email_html, name="outbox_email_html"),
    path("settings/", views.site_settings, name="site_settings"),
    path("after-login/", views.after_login, name="after_login"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.page, {"template": "privacy"}, name="privacy"),
    path("terms/", views.page, {"template": "terms"}, name="terms"),
    path("not-therapy/", views.page, {"template": "not_therapy"}, name="not_therapy"),
    path("safety/", views.page, {"template": "safety"}, name="safety"),
    path("healthz", views.healthz, name="healthz"),
    path("brand.css", views.brand_css, name="brand_css"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("coach/", include((coach_patterns, "coaching"))),
    path("coach/clients/", include("clients.coach_urls")),
    path("coach/intakes/", include("clients.intake.coach_urls")),
    path("coach/bookings/", include("bookings.coach_urls")),
    path("coach/payments/", include("payments.coach_urls")),
    path("coach/blog/", include("content.blog.coach_urls")),
    path("coach/newsletter/", include("content.newsletter.coach_urls")),
    path("coach/comments/", include("content.blog.comment_coach_urls")),
    path("coach/messages/", include("clients.messaging.coach_urls")),
    path("coach/journal/", include("clients.journal.coach_urls")),
    path("coach/homework/", include("clients.homework.coach_urls")),
    path("coach/agreement/", include("clients.agreements.coach_urls")),
    path("account/messages/", include("clients.messaging.urls")),
    path("account/journal/", include("clients.journal.urls")),
    path("account/homework/", include("clients.homework.urls")),
    path("coach/check-ins/", include("clients.checkins.coach_urls")),
    path("account/check-ins/", include("clients.checkins.urls")),
    path("", include("clients.agreements.urls")),
    path("account/", include("clients.urls")),
    path("assessment/", include("clients.intake.urls")),
    path("book/", include("bookings.urls")),
    path("pay/", include("payments.urls")),
    path("blog/", include("content.blog.urls")),
    path("newsletter/", include("content.newsletter.urls")),
    path("sitemap.xml", login_not_required(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("media/<path:path>", views.media, name="media"),
]

handler403 = "coaching.errors.permission_denied"
handler404 = "coaching.errors.page_not_found"
handler500 = "coaching.errors.server_error"
