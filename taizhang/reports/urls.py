from . import views

app_name = "reports"

urlpatterns = views.route.urls
