from django.urls import path

from housing_aid.placeholders import coming_soon

app_name = "certificates"

urlpatterns = [
    path("", coming_soon, name="worklist"),
]
urlpatterns += [path("loans/", coming_soon, name="loans")]
