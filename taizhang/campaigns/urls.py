from . import views

app_name = "campaigns"

urlpatterns = views.route.urls
