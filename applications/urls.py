from django.urls import path

from housing_aid.placeholders import coming_soon

app_name = "applications"

urlpatterns = [
    path("", coming_soon, name="worklist"),
]
urlpatterns += [
    path("intake/", coming_soon, name="intake"),
    path("signing/", coming_soon, name="signing_queue"),
]
