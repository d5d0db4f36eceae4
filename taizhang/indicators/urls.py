from . import views

app_name = "indicators"

urlpatterns = views.route.urls
