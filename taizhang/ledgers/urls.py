from . import views

app_name = "ledgers"

urlpatterns = views.route.urls
