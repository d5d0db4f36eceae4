from . import views

app_name = "accounts"

urlpatterns = views.route.urls
auth_urlpatterns = views.auth_route.urls
