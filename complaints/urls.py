from django.urls import path

from housing_aid.placeholders import coming_soon

app_name = "complaints"

urlpatterns = [
    path("", coming_soon, name="worklist"),
]
